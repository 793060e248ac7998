// The notification targets table: who gets alert changes, and how its deliveries last went.
import type { Db } from '../store/db'
import { MAX_TARGETS } from '../../../shared/notify'

export interface TargetRow {
  id: number
  name: string
  kind: 'webhook'
  url: string
  secret_ref: string
  min_priority: number
  since_change_id: number
  created_at: number
  last_attempt_at: number | null
  last_success_at: number | null
  last_status: number | null
  last_error: string | null
  failing_since: number | null
}

export class TargetNameTakenError extends Error {
  override name = 'TargetNameTakenError'
}

export class TooManyTargetsError extends Error {
  override name = 'TooManyTargetsError'
}

export type TargetStore = ReturnType<typeof createTargetStore>

export function createTargetStore(db: Db) {
  const insert = db.prepare<[string, string, string, number, number], TargetRow>(
    `INSERT INTO notify_targets (name, url, secret_ref, min_priority, created_at, since_change_id)
     VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM alert_changes)) RETURNING *`,
  )
  const remove = db.prepare<[number], TargetRow>('DELETE FROM notify_targets WHERE id = ? RETURNING *')
  const setMin = db.prepare<[number, number], TargetRow>('UPDATE notify_targets SET min_priority = ? WHERE id = ? RETURNING *')
  const all = db.prepare<[], TargetRow>('SELECT * FROM notify_targets ORDER BY name')
  const total = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM notify_targets')
  const byId = db.prepare<[number], TargetRow>('SELECT * FROM notify_targets WHERE id = ?')
  const byName = db.prepare<[string], TargetRow>('SELECT * FROM notify_targets WHERE name = ?')
  const success = db.prepare<[number, number, number, number]>(
    `UPDATE notify_targets SET last_attempt_at = ?, last_success_at = ?, last_status = ?, last_error = NULL, failing_since = NULL
     WHERE id = ?`,
  )
  const failure = db.prepare<[number, number | null, string, number, number]>(
    `UPDATE notify_targets SET last_attempt_at = ?, last_status = ?, last_error = ?, failing_since = coalesce(failing_since, ?)
     WHERE id = ?`,
  )
  const counts = db.prepare<[], { target_id: number; pending: number; given_up: number }>(
    `SELECT target_id, count(next_attempt_at) AS pending, count(gave_up_at) AS given_up
     FROM notify_outbox WHERE delivered_at IS NULL GROUP BY target_id`,
  )

  return {
    /** Adds a target; it is sent the alert changes committed after this one. */
    add(name: string, url: string, secretRef: string, minPriority: number, at = Date.now()): TargetRow {
      if (total.get()!.n >= MAX_TARGETS) throw new TooManyTargetsError(`a station keeps at most ${MAX_TARGETS} notification targets`)
      try {
        return insert.get(name, url, secretRef, minPriority, at)!
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
          throw new TargetNameTakenError(`a target named "${name}" exists`)
        throw err
      }
    },
    /** Removes a target and, with it, every delivery still waiting for it. */
    remove: (id: number): TargetRow | undefined => remove.get(id),
    setMinPriority: (id: number, minPriority: number): TargetRow | undefined => setMin.get(minPriority, id),
    all: (): TargetRow[] => all.all(),
    get: (id: number): TargetRow | undefined => byId.get(id),
    /** By name, case-insensitively (names are unique regardless of case). */
    byName: (name: string): TargetRow | undefined => byName.get(name),
    recordSuccess(id: number, status: number, at: number): void {
      success.run(at, at, status, id)
    },
    recordFailure(id: number, status: number | null, error: string, at: number): void {
      failure.run(at, status, error, at, id)
    },
    /** Deliveries waiting and given up, per target id. */
    counts(): Map<number, { pending: number; given_up: number }> {
      return new Map(counts.all().map((r) => [r.target_id, { pending: r.pending, given_up: r.given_up }]))
    },
  }
}
