// The outbox: alert changes (written by the alerts table's triggers in the commit that changed
// the alert) fanned out to one delivery per interested target, then tried until delivered or given up.
import type { Db } from '../store/db'
import { toAlertView } from '../access/alerts'
import { targetWants, type AlertChange } from '../../../shared/notify'
import type { AlertView } from '../../../shared/domain'
import type { TargetRow } from './targets'

interface ChangeRow {
  id: number
  message_id: string
  alert_id: number
  change: string
  changed_at: number
  alert: string
}

export interface Delivery {
  id: number
  target_id: number
  attempts: number
  created_at: number
  message_id: string
  change: AlertChange
  changed_at: number
  alert: AlertView
}

type DeliveryRow = Omit<Delivery, 'alert' | 'change'> & { change: string; alert: string }

/** The alert row as the trigger wrote it (JSON of the table's columns), as the desk sees alerts. */
export const alertOfChange = (json: string): AlertView => toAlertView(JSON.parse(json) as Parameters<typeof toAlertView>[0])

export type Outbox = ReturnType<typeof createOutbox>

export function createOutbox(db: Db) {
  const anyUnsent = db.prepare<[], { id: number }>('SELECT id FROM alert_changes WHERE fanned_out = 0 LIMIT 1')
  const unsent = db.prepare<[number], ChangeRow>('SELECT * FROM alert_changes WHERE fanned_out = 0 ORDER BY id LIMIT ?')
  const markSent = db.prepare<[number]>('UPDATE alert_changes SET fanned_out = 1 WHERE id = ?')
  const enqueue = db.prepare<[number, number, number, number]>(
    'INSERT INTO notify_outbox (change_id, target_id, created_at, next_attempt_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  )
  const due = db.prepare<[number, number], DeliveryRow>(
    `SELECT o.id, o.target_id, o.attempts, o.created_at, c.message_id, c.change, c.changed_at, c.alert
     FROM notify_outbox o JOIN alert_changes c ON c.id = o.change_id
     WHERE o.target_id = ? AND o.next_attempt_at IS NOT NULL AND o.next_attempt_at <= ?
     ORDER BY o.next_attempt_at, o.id LIMIT 1`,
  )
  const nextDue = db.prepare<[], { at: number | null }>('SELECT min(next_attempt_at) AS at FROM notify_outbox')
  const delivered = db.prepare<[number, number, number]>(
    'UPDATE notify_outbox SET attempts = attempts + 1, last_attempt_at = ?, delivered_at = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?',
  )
  const failed = db.prepare<[number, string, number | null, number | null, number]>(
    'UPDATE notify_outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ?, next_attempt_at = ?, gave_up_at = ? WHERE id = ?',
  )
  const bringForward = db.prepare<[number, number, number]>(
    'UPDATE notify_outbox SET next_attempt_at = ? WHERE target_id = ? AND next_attempt_at > ?',
  )
  const pruneDeliveries = db.prepare<[number, number]>(
    `DELETE FROM notify_outbox WHERE id IN (SELECT id FROM notify_outbox
       WHERE next_attempt_at IS NULL AND coalesce(delivered_at, gave_up_at) < ? LIMIT ?)`,
  )
  const pruneChanges = db.prepare<[number, number]>(
    `DELETE FROM alert_changes WHERE id IN (SELECT c.id FROM alert_changes c
       WHERE c.fanned_out = 1 AND c.changed_at < ? AND NOT EXISTS (SELECT 1 FROM notify_outbox o WHERE o.change_id = c.id) LIMIT ?)`,
  )

  return {
    hasUnsent: (): boolean => anyUnsent.get() !== undefined,
    /**
     * Turns committed alert changes into deliveries, one per target whose filter wants the alert
     * (run it in a write). Returns how many changes it handled; a full batch means more may wait.
     */
    fanOut(targets: readonly TargetRow[], now: number, limit = 500): number {
      const changes = unsent.all(limit)
      for (const c of changes) {
        const alert = alertOfChange(c.alert)
        for (const t of targets) {
          if (c.id > t.since_change_id && targetWants(t.min_priority, alert)) enqueue.run(c.id, t.id, now, now)
        }
        markSent.run(c.id)
      }
      return changes.length
    },
    /** The delivery a target should get next, if one is due. */
    due(targetId: number, now: number): Delivery | undefined {
      const r = due.get(targetId, now)
      return r ? { ...r, change: r.change as AlertChange, alert: alertOfChange(r.alert) } : undefined
    },
    /** When the earliest waiting delivery is due (null: nothing waits). */
    nextDueAt: (): number | null => nextDue.get()?.at ?? null,
    recordDelivered(id: number, at: number): void {
      delivered.run(at, at, id)
    },
    /** A failed attempt: tried again at `nextAt`, or given up when that is null. */
    recordFailed(id: number, error: string, nextAt: number | null, at: number): void {
      failed.run(at, error, nextAt, nextAt === null ? at : null, id)
    },
    /** The target answered: what waits for it is due now (in order), not at its backed-off time. */
    bringForward(targetId: number, now: number): void {
      bringForward.run(now, targetId, now)
    },
    /** Drops finished deliveries and sent changes older than `before`, one small batch per table. */
    prune(before: number, limit = 1000): number {
      return pruneDeliveries.run(before, limit).changes + pruneChanges.run(before, limit).changes
    },
  }
}
