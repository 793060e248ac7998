// Store and integrity faults as real alerts while the store cannot take them: held in memory under
// the id they will have (the next one in the table), shown on the desk and in its snapshot at once
// (with their sound), acknowledged and noted there, and written the moment a commit goes through.
// Should another process have taken that id meanwhile, the alert is written under a new one and the
// desk is told the old id is gone.
import type { CommitQueue } from '../store/commit-queue'
import type { AlertKind, AlertView } from '../../../shared/domain'
import { STATION_OPERATOR } from '../../../shared/alerts'
import { ALERT_SEVERITY, AlertActionError, type Alerts, type HeldAlert } from './alerts'

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type FaultAlerts = ReturnType<typeof createFaultAlerts>

export function createFaultAlerts(deps: { alerts: Alerts; queue: CommitQueue; emit: (a: AlertView) => void }) {
  const { alerts, queue, emit } = deps
  const held = new Map<number, HeldAlert>()
  let lastId = 0
  let persisting = false

  const priorityOf = (kind: AlertKind): number => {
    try {
      return alerts.kinds.get(kind).priority
    } catch {
      return 1 // a store that cannot even be read: a fault is the most urgent thing there is
    }
  }
  const view = (h: HeldAlert): AlertView => ({
    id: h.id,
    kind: h.kind,
    severity: ALERT_SEVERITY[h.kind],
    subject: h.subject,
    message: h.message,
    raised_at: iso(h.raisedAt)!,
    resolved_at: iso(h.resolvedAt),
    acknowledged_at: iso(h.acknowledgedAt),
    acknowledged_by: h.acknowledgedBy,
    count: null,
    top_sources: null,
    priority: priorityOf(h.kind),
    state: h.resolvedAt !== null ? 'resolved' : h.acknowledgedAt !== null ? 'acknowledged' : 'open',
    snoozed_until: null,
    investigating_at: null,
    investigating_by: null,
    resolved_by: h.resolvedAt !== null ? STATION_OPERATOR : null,
    occurrences: 1,
    reopened_at: null,
    top_errors: null,
  })

  function nextId(): number {
    let fromStore = 0
    try {
      fromStore = alerts.nextId()
    } catch {
      /* unreadable: the ids handed out in memory still go up */
    }
    lastId = Math.max(lastId + 1, fromStore, ...[...held.keys()].map((id) => id + 1))
    return lastId
  }

  const find = (id: number): HeldAlert => {
    const h = held.get(id)
    if (!h) throw new AlertActionError('NOT_FOUND', `No alert ${id}`)
    return h
  }

  /** Writes what is held (after a commit went through); those that cannot be written wait for the next. */
  function persist(): void {
    if (persisting || held.size === 0) return
    persisting = true
    const batch = [...held.values()]
    queue
      .enqueue(() =>
        batch.map((h) => {
          const kept = alerts.recordHeld(h)
          if (kept) return { from: h, to: kept, moved: false }
          const moved = alerts.record(h.kind, h.subject, h.message, h.raisedAt, h.resolvedAt)
          return { from: h, to: moved, moved: true }
        }),
      )
      .then(
        (written) => {
          persisting = false
          for (const w of written) {
            held.delete(w.from.id)
            if (w.moved) emit({ ...view(w.from), resolved_at: iso(w.from.resolvedAt ?? Date.now()), state: 'resolved' })
            emit(w.to)
          }
          // Raised while this write was under way: written by the next.
          if (held.size > 0) setImmediate(persist)
        },
        () => {
          persisting = false
        },
      )
  }

  return {
    persist,
    /** Holds a fault alert unless one of the kind and subject is held unresolved; returns it when new. */
    raise(kind: AlertKind, subject: string, message: string, at = Date.now()): AlertView | undefined {
      for (const h of held.values()) if (h.kind === kind && h.subject === subject && h.resolvedAt === null) return undefined
      const h: HeldAlert = {
        id: nextId(),
        kind,
        subject,
        message,
        raisedAt: at,
        resolvedAt: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        notes: [{ at, by: STATION_OPERATOR, action: 'raised', note: null }],
      }
      held.set(h.id, h)
      const v = view(h)
      emit(v)
      return v
    },
    resolve(kind: AlertKind, subject: string, at = Date.now()): void {
      for (const h of held.values()) {
        if (h.kind !== kind || h.subject !== subject || h.resolvedAt !== null) continue
        h.resolvedAt = at
        h.notes.push({ at, by: STATION_OPERATOR, action: 'resolved', note: null })
        emit(view(h))
      }
    },
    has: (id: number): boolean => held.has(id),
    acknowledge(id: number, by: string, note: string, at = Date.now()): AlertView {
      const h = find(id)
      const v = view(h)
      if (v.priority === 1 && note.trim() === '')
        throw new AlertActionError('INVALID_INPUT', `Alert ${id} is priority 1: write a note saying what you are doing about it`)
      if (h.acknowledgedAt !== null) throw new AlertActionError('CONFLICT', `Alert ${id} was already acknowledged by ${h.acknowledgedBy}`)
      h.acknowledgedAt = at
      h.acknowledgedBy = by
      h.notes.push({ at, by, action: 'acknowledged', note: note.trim() || null })
      const out = view(h)
      emit(out)
      return out
    },
    note(id: number, by: string, note: string, at = Date.now()): AlertView {
      const h = find(id)
      h.notes.push({ at, by, action: 'noted', note: note.trim() })
      return view(h)
    },
    notes: (id: number) =>
      find(id).notes.map((n, i) => ({ id: -(i + 1), alert_id: id, at: iso(n.at)!, by: n.by, action: n.action, note: n.note })),
    /** Held alerts as the desk shows them (its snapshot includes them). */
    views: (): AlertView[] => [...held.values()].map(view),
  }
}
