// Alerts: raised once per (kind, subject) while open, auto-resolved when the cause clears, worked
// by named operators (acknowledge, investigate, note, snooze, resolve; every step in alert_notes).
// A resolved alert that recurs within its kind's reactivation window reopens with one more
// occurrence instead of a new alert. A burst's alert carries its count and busiest sources (or top
// errors) and is updated in place while the burst lasts (same id: the desk shows it rise without a new sound).
import type { Db } from '../store/db'
import type { AlertError, AlertKind, AlertSeverity, AlertSource, AlertState, AlertView } from '../../../shared/domain'
import { SNOOZE_MIN_PRIORITY, STATION_OPERATOR, type AlertAction, type AlertNoteView } from '../../../shared/alerts'
import { createAlertKindSettings } from './alert-kind-settings'

export interface AlertRow {
  id: number
  kind: string
  severity: string
  subject: string
  message: string
  raised_at: number
  resolved_at: number | null
  acknowledged_at: number | null
  acknowledged_by: string | null
  count: number | null
  top_sources: string | null
  priority: number
  state: string
  snoozed_until: number | null
  investigating_at: number | null
  investigating_by: string | null
  resolved_by: string | null
  occurrences: number
  reopened_at: number | null
  top_errors: string | null
}

/** What a burst's alert says about itself. */
export interface AlertSummary {
  count: number
  top_sources?: AlertSource[]
  top_errors?: AlertError[]
}

/** An operator's step refused: no such alert, not in a state that allows it, or a note missing. */
export class AlertActionError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID_INPUT',
    message: string,
  ) {
    super(message)
    this.name = 'AlertActionError'
  }
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

export const toAlertView = (r: AlertRow): AlertView => ({
  id: r.id,
  kind: r.kind as AlertKind,
  severity: r.severity as AlertSeverity,
  subject: r.subject,
  message: r.message,
  raised_at: iso(r.raised_at)!,
  resolved_at: iso(r.resolved_at),
  acknowledged_at: iso(r.acknowledged_at),
  acknowledged_by: r.acknowledged_by,
  count: r.count,
  top_sources: json<AlertSource[]>(r.top_sources),
  priority: r.priority,
  state: r.state as AlertState,
  snoozed_until: iso(r.snoozed_until),
  investigating_at: iso(r.investigating_at),
  investigating_by: r.investigating_by,
  resolved_by: r.resolved_by,
  occurrences: r.occurrences,
  reopened_at: iso(r.reopened_at),
  top_errors: json<AlertError[]>(r.top_errors),
})

export const ALERT_SEVERITY: Record<AlertKind, AlertSeverity> = {
  gateway_offline: 'critical',
  reader_disconnected: 'warning',
  signature_burst: 'warning',
  refused_source_burst: 'warning',
  store_failure: 'critical',
  integrity_failure: 'critical',
  credential_conflict: 'critical',
  clock_skew: 'warning',
  zone_near_capacity: 'warning',
  zone_at_capacity: 'critical',
  blocked_credential: 'critical',
  watchlist_arrival: 'info',
  store_space_low: 'warning',
  notification_failing: 'warning',
  rejections_burst: 'warning',
  reader_silent: 'warning',
  gateway_refused: 'critical',
}

interface NoteRow {
  id: number
  alert_id: number
  at: number
  by: string
  action: string
  note: string | null
}

const noteView = (r: NoteRow): AlertNoteView => ({
  id: r.id,
  alert_id: r.alert_id,
  at: iso(r.at)!,
  by: r.by,
  action: r.action as AlertAction,
  note: r.note,
})

/** A fault alert written after the fact (see fault-alerts.ts): its id is the one the desk already shows. */
export interface HeldAlert {
  id: number
  kind: AlertKind
  subject: string
  message: string
  raisedAt: number
  resolvedAt: number | null
  acknowledgedAt: number | null
  acknowledgedBy: string | null
  notes: Array<{ at: number; by: string; action: AlertAction; note: string | null }>
}

export type Alerts = ReturnType<typeof createAlerts>

export function createAlerts(db: Db) {
  const kinds = createAlertKindSettings(db)
  const raise = db.prepare<[string, string, string, string, number, number | null, string | null, string | null, number], AlertRow>(
    `INSERT INTO alerts (kind, severity, subject, message, raised_at, count, top_sources, top_errors, priority) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, subject) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
  )
  const recentlyResolved = db.prepare<[string, string, number], AlertRow>(
    `SELECT * FROM alerts WHERE kind = ? AND subject = ? AND resolved_at IS NOT NULL AND resolved_at >= ?
     ORDER BY resolved_at DESC, id DESC LIMIT 1`,
  )
  const reopen = db.prepare<[string, number | null, string | null, string | null, number, number, number], AlertRow>(
    `UPDATE alerts SET message = ?, count = ?, top_sources = ?, top_errors = ?, priority = ?, state = 'open', resolved_at = NULL,
       resolved_by = NULL, acknowledged_at = NULL, acknowledged_by = NULL, investigating_at = NULL, investigating_by = NULL,
       snoozed_until = NULL, occurrences = occurrences + 1, reopened_at = ?, updated_at = reopened_at
     WHERE id = ? AND resolved_at IS NOT NULL RETURNING *`,
  )
  const update = db.prepare<[string, number | null, string | null, string | null, number, number], AlertRow>(
    'UPDATE alerts SET message = ?, count = ?, top_sources = ?, top_errors = ?, updated_at = ? WHERE id = ? AND resolved_at IS NULL RETURNING *',
  )
  const openOne = db.prepare<[string, string], AlertRow>('SELECT * FROM alerts WHERE kind = ? AND subject = ? AND resolved_at IS NULL')
  const resolve = db.prepare<[number, string, string, string], AlertRow>(
    `UPDATE alerts SET resolved_at = ?, resolved_by = ?, state = 'resolved', snoozed_until = NULL
     WHERE kind = ? AND subject = ? AND resolved_at IS NULL RETURNING *`,
  )
  const resolveId = db.prepare<[number, string, number], AlertRow>(
    `UPDATE alerts SET resolved_at = ?, resolved_by = ?, state = 'resolved', snoozed_until = NULL WHERE id = ? AND resolved_at IS NULL RETURNING *`,
  )
  const ack = db.prepare<[number, string, number], AlertRow>(
    `UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ?, snoozed_until = NULL,
       state = CASE WHEN state IN ('open', 'snoozed') THEN 'acknowledged' ELSE state END
     WHERE id = ? AND acknowledged_at IS NULL RETURNING *`,
  )
  const investigate = db.prepare<[number, string, number], AlertRow>(
    `UPDATE alerts SET investigating_at = ?, investigating_by = ?, state = 'investigating', snoozed_until = NULL
     WHERE id = ? AND state = 'acknowledged' RETURNING *`,
  )
  const snooze = db.prepare<[number, number], AlertRow>(
    `UPDATE alerts SET snoozed_until = ?, state = 'snoozed' WHERE id = ? AND state IN ('open', 'acknowledged', 'investigating') RETURNING *`,
  )
  const wake = db.prepare<[number, number], AlertRow>(
    `UPDATE alerts SET state = 'open', snoozed_until = NULL, acknowledged_at = NULL, acknowledged_by = NULL,
       investigating_at = NULL, investigating_by = NULL, reopened_at = ?
     WHERE id = ? AND state = 'snoozed' RETURNING *`,
  )
  const dueSnoozes = db.prepare<[number], { id: number }>("SELECT id FROM alerts WHERE state = 'snoozed' AND snoozed_until <= ?")
  const setPriority = db.prepare<[number, string, number], AlertRow>(
    'UPDATE alerts SET priority = ? WHERE kind = ? AND resolved_at IS NULL AND priority <> ? RETURNING *',
  )
  const byId = db.prepare<[number], AlertRow>('SELECT * FROM alerts WHERE id = ?')
  const open = db.prepare<[], AlertRow>('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY raised_at DESC, id DESC')
  const recent = db.prepare<[number], AlertRow>('SELECT * FROM alerts ORDER BY id DESC LIMIT ?')
  const openOf = db.prepare<[string], { subject: string }>('SELECT subject FROM alerts WHERE kind = ? AND resolved_at IS NULL')
  const openOlder = db.prepare<[string, number], AlertRow>('SELECT * FROM alerts WHERE kind = ? AND resolved_at IS NULL AND raised_at < ?')
  const between = db.prepare<[number, number], AlertRow>(
    'SELECT * FROM alerts WHERE raised_at <= ? AND coalesce(resolved_at, 9007199254740991) >= ? ORDER BY raised_at, id',
  )
  const record = db.prepare<[string, string, string, string, number, number | null, string | null, number, string], AlertRow>(
    `INSERT INTO alerts (kind, severity, subject, message, raised_at, resolved_at, resolved_by, priority, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const recordHeld = db.prepare<
    [number, string, string, string, string, number, number | null, string | null, number | null, string | null, number, string],
    AlertRow
  >(
    `INSERT INTO alerts (id, kind, severity, subject, message, raised_at, resolved_at, resolved_by, acknowledged_at, acknowledged_by, priority, state)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  )
  const maxId = db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM alerts')
  const addNote = db.prepare<[number, number, string, string, string | null]>(
    'INSERT INTO alert_notes (alert_id, at, by, action, note) VALUES (?, ?, ?, ?, ?)',
  )
  const notesOf = db.prepare<[number], NoteRow>('SELECT * FROM alert_notes WHERE alert_id = ? ORDER BY id')
  const notesBetween = db.prepare<[number, number], NoteRow>(
    'SELECT n.* FROM alert_notes n JOIN alerts a ON a.id = n.alert_id WHERE a.raised_at <= ? AND coalesce(a.resolved_at, 9007199254740991) >= ? ORDER BY n.alert_id, n.id',
  )

  const history = (id: number, at: number, by: string, action: AlertAction, note: string | null = null): void => {
    addNote.run(id, at, by, action, note === '' ? null : note)
  }
  const summaryArgs = (s: AlertSummary | null | undefined) =>
    [s?.count ?? null, s?.top_sources ? JSON.stringify(s.top_sources) : null, s?.top_errors ? JSON.stringify(s.top_errors) : null] as const

  /** The alert an operator names, or a clear refusal. */
  const existing = (id: number): AlertRow => {
    const row = byId.get(id)
    if (!row) throw new AlertActionError('NOT_FOUND', `No alert ${id}`)
    return row
  }
  const refusedStep = (row: AlertRow, step: string): AlertActionError =>
    new AlertActionError(
      'CONFLICT',
      row.state === 'resolved'
        ? `Alert ${row.id} is resolved: it cannot be ${step}`
        : `Alert ${row.id} is ${row.state}${row.acknowledged_by ? ` (acknowledged by ${row.acknowledged_by})` : ''}: it cannot be ${step}`,
    )

  return {
    kinds,
    /**
     * Opens an alert unless one is open for the same kind and subject; returns it when new or
     * reopened (a resolved one of the same kind and subject, within the kind's reactivation window).
     */
    raise(kind: AlertKind, subject: string, message: string, at = Date.now(), summary?: AlertSummary): AlertView | undefined {
      const settings = kinds.get(kind)
      const [count, sources, errors] = summaryArgs(summary)
      if (settings.reactivation_minutes > 0 && !openOne.get(kind, subject)) {
        const recent = recentlyResolved.get(kind, subject, at - settings.reactivation_minutes * 60_000)
        if (recent) {
          const row = reopen.get(message, count, sources, errors, settings.priority, at, recent.id)
          if (row) {
            history(row.id, at, STATION_OPERATOR, 'reopened', `Happened again (occurrence ${row.occurrences}): ${message}`.slice(0, 2000))
            return toAlertView(row)
          }
        }
      }
      const row = raise.get(kind, ALERT_SEVERITY[kind], subject, message, at, count, sources, errors, settings.priority)
      if (!row) return undefined
      history(row.id, at, STATION_OPERATOR, 'raised')
      return toAlertView(row)
    },
    /** Rewrites an open alert's message and summary; undefined when it is no longer open. */
    update(id: number, message: string, summary: AlertSummary | null, at = Date.now()): AlertView | undefined {
      const row = update.get(message, ...summaryArgs(summary), at, id)
      return row ? toAlertView(row) : undefined
    },
    /** The open alert of this kind and subject, if any. */
    openOf(kind: AlertKind, subject: string): AlertView | undefined {
      const row = openOne.get(kind, subject)
      return row ? toAlertView(row) : undefined
    },
    /** The cause cleared: the open alert of this kind and subject is resolved (by the station). */
    resolve(kind: AlertKind, subject: string, at = Date.now()): AlertView | undefined {
      const row = resolve.get(at, STATION_OPERATOR, kind, subject)
      if (!row) return undefined
      history(row.id, at, STATION_OPERATOR, 'resolved')
      return toAlertView(row)
    },
    /** Writes an alert that was raised (and maybe resolved) while the store could not be written. */
    record(kind: AlertKind, subject: string, message: string, raisedAt: number, resolvedAt: number | null): AlertView {
      const row = record.get(
        kind,
        ALERT_SEVERITY[kind],
        subject,
        message,
        raisedAt,
        resolvedAt,
        resolvedAt === null ? null : STATION_OPERATOR,
        kinds.get(kind).priority,
        resolvedAt === null ? 'open' : 'resolved',
      )!
      history(row.id, raisedAt, STATION_OPERATOR, 'raised')
      if (resolvedAt !== null) history(row.id, resolvedAt, STATION_OPERATOR, 'resolved')
      return toAlertView(row)
    },
    /** The id the next alert would get (a fault alert held in memory takes it; see fault-alerts.ts). */
    nextId: (): number => (maxId.get()?.id ?? 0) + 1,
    /** Writes a held fault alert under the id the desk has shown; undefined when another process took that id. */
    recordHeld(h: HeldAlert): AlertView | undefined {
      if (byId.get(h.id)) return undefined
      const state = h.resolvedAt !== null ? 'resolved' : h.acknowledgedAt !== null ? 'acknowledged' : 'open'
      const row = recordHeld.get(
        h.id,
        h.kind,
        ALERT_SEVERITY[h.kind],
        h.subject,
        h.message,
        h.raisedAt,
        h.resolvedAt,
        h.resolvedAt === null ? null : STATION_OPERATOR,
        h.acknowledgedAt,
        h.acknowledgedBy,
        kinds.get(h.kind).priority,
        state,
      )!
      for (const n of h.notes) history(row.id, n.at, n.by, n.action, n.note)
      return toAlertView(row)
    },
    /** An operator takes it on. Priority 1 needs a note saying what is being done. */
    acknowledge(id: number, by: string, options: { note?: string; at?: number } = {}): AlertView {
      const at = options.at ?? Date.now()
      const current = existing(id)
      const note = options.note?.trim() ?? ''
      if (current.priority === 1 && note === '')
        throw new AlertActionError('INVALID_INPUT', `Alert ${id} is priority 1: write a note saying what you are doing about it`)
      const row = ack.get(at, by, id)
      if (!row) throw new AlertActionError('CONFLICT', `Alert ${id} was already acknowledged by ${current.acknowledged_by}`)
      history(id, at, by, 'acknowledged', note)
      return toAlertView(row)
    },
    /** Someone is on it (after acknowledging). */
    investigate(id: number, by: string, options: { note?: string; at?: number } = {}): AlertView {
      const at = options.at ?? Date.now()
      const current = existing(id)
      const row = investigate.get(at, by, id)
      if (!row) throw refusedStep(current, 'put under investigation (acknowledge it first)')
      history(id, at, by, 'investigating', options.note?.trim() ?? '')
      return toAlertView(row)
    },
    /** A note at any step, resolved alerts included (what was found, who was called). */
    note(id: number, by: string, note: string, at = Date.now()): AlertView {
      const current = existing(id)
      history(id, at, by, 'noted', note.trim())
      return toAlertView(current)
    },
    /** Out of the queue until `until` (priorities 3–5 only), then open again and sounded again. */
    snooze(id: number, by: string, minutes: number, options: { note?: string; at?: number } = {}): AlertView {
      const at = options.at ?? Date.now()
      const current = existing(id)
      if (current.priority < SNOOZE_MIN_PRIORITY)
        throw new AlertActionError(
          'INVALID_INPUT',
          `Alert ${id} is priority ${current.priority}: only priorities ${SNOOZE_MIN_PRIORITY}–5 can be snoozed`,
        )
      const longest = kinds.get(current.kind as AlertKind).snooze_max_minutes
      if (minutes > longest)
        throw new AlertActionError(
          'INVALID_INPUT',
          longest === 0
            ? `Alerts of kind ${current.kind} are not snoozed (an admin's setting)`
            : `Alerts of kind ${current.kind} are snoozed for at most ${longest} min`,
        )
      const until = at + minutes * 60_000
      const row = snooze.get(until, id)
      if (!row) throw refusedStep(current, 'snoozed')
      history(id, at, by, 'snoozed', [`until ${new Date(until).toISOString()}`, options.note?.trim()].filter(Boolean).join(': '))
      return toAlertView(row)
    },
    /** Whether a snooze has run out (a read: the sweep writes only when one has). */
    snoozeDue: (at = Date.now()): boolean => dueSnoozes.get(at) !== undefined,
    /** Snoozes that are over: the alerts come back open (for the sweep). */
    wakeSnoozed(at = Date.now()): AlertView[] {
      const out: AlertView[] = []
      for (const { id } of dueSnoozes.all(at)) {
        const row = wake.get(at, id)
        if (!row) continue
        history(id, at, STATION_OPERATOR, 'woke')
        out.push(toAlertView(row))
      }
      return out
    },
    /** An operator closes it (the cause is dealt with); it reopens if the cause comes back. */
    resolveById(id: number, by: string, options: { note?: string; at?: number } = {}): AlertView {
      const at = options.at ?? Date.now()
      const current = existing(id)
      const row = resolveId.get(at, by, id)
      if (!row) throw refusedStep(current, 'resolved')
      history(id, at, by, 'resolved', options.note?.trim() ?? '')
      return toAlertView(row)
    },
    /** A kind's new priority applies to its open alerts too (the queue reorders at once). */
    reprioritise(kind: AlertKind, priority: number): AlertView[] {
      return setPriority.all(priority, kind, priority).map(toAlertView)
    },
    notes: (id: number): AlertNoteView[] => notesOf.all(id).map(noteView),
    /** Alerts that were open at any time in [since, until], oldest first, with their notes. */
    between(since: number, until: number): Array<AlertView & { notes: AlertNoteView[] }> {
      const notes = new Map<number, AlertNoteView[]>()
      for (const n of notesBetween.all(until, since)) {
        const list = notes.get(n.alert_id) ?? []
        list.push(noteView(n))
        notes.set(n.alert_id, list)
      }
      return between.all(until, since).map((r) => ({ ...toAlertView(r), notes: notes.get(r.id) ?? [] }))
    },
    get: (id: number): AlertView | undefined => {
      const row = byId.get(id)
      return row ? toAlertView(row) : undefined
    },
    open: (): AlertView[] => open.all().map(toAlertView),
    recent: (limit = 200): AlertView[] => recent.all(limit).map(toAlertView),
    openSubjects: (kind: AlertKind): Set<string> => new Set(openOf.all(kind).map((r) => r.subject)),
    /**
     * Drops from a detector's memory of open subjects those whose alert is no longer open in the
     * store: resolved by an operator, from the desk or the CLI in another process. Their cause,
     * if still there, then raises the alert again at the detector's next check.
     */
    forgetResolved(kind: AlertKind, remembered: Set<string>, only?: string): void {
      for (const subject of only === undefined ? [...remembered] : remembered.has(only) ? [only] : [])
        if (!this.openOf(kind, subject)) remembered.delete(subject)
    },
    /** Open alerts of a kind raised before a time (notices that have aged out). */
    openOlderThan: (kind: AlertKind, before: number): AlertView[] => openOlder.all(kind, before).map(toAlertView),
  }
}
