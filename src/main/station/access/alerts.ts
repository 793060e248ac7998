// Alerts: raised once per (kind, subject) while open, auto-resolved when the cause clears,
// acknowledged by a named operator. A burst's alert carries its count and busiest sources and is
// updated in place while the burst lasts (same id: the desk shows it rise without a new sound).
import type { Db } from '../store/db'
import type { AlertKind, AlertSeverity, AlertSource, AlertView } from '../../../shared/domain'

interface Row {
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
}

/** What a burst's alert says about itself. */
export interface AlertSummary {
  count: number
  top_sources: AlertSource[]
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export const toAlertView = (r: Row): AlertView => ({
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
  top_sources: r.top_sources === null ? null : (JSON.parse(r.top_sources) as AlertSource[]),
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
  gateway_refused: 'critical',
}

export type Alerts = ReturnType<typeof createAlerts>

export function createAlerts(db: Db) {
  const raise = db.prepare<[string, string, string, string, number, number | null, string | null], Row>(
    `INSERT INTO alerts (kind, severity, subject, message, raised_at, count, top_sources) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, subject) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
  )
  const update = db.prepare<[string, number | null, string | null, number, number], Row>(
    'UPDATE alerts SET message = ?, count = ?, top_sources = ?, updated_at = ? WHERE id = ? AND resolved_at IS NULL RETURNING *',
  )
  const openOne = db.prepare<[string, string], Row>('SELECT * FROM alerts WHERE kind = ? AND subject = ? AND resolved_at IS NULL')
  const resolve = db.prepare<[number, string, string], Row>(
    'UPDATE alerts SET resolved_at = ? WHERE kind = ? AND subject = ? AND resolved_at IS NULL RETURNING *',
  )
  const ack = db.prepare<[number, string, number], Row>(
    'UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL RETURNING *',
  )
  const byId = db.prepare<[number], Row>('SELECT * FROM alerts WHERE id = ?')
  const open = db.prepare<[], Row>('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY raised_at DESC, id DESC')
  const recent = db.prepare<[number], Row>('SELECT * FROM alerts ORDER BY id DESC LIMIT ?')
  const openOf = db.prepare<[string], { subject: string }>('SELECT subject FROM alerts WHERE kind = ? AND resolved_at IS NULL')
  const openOlder = db.prepare<[string, number], Row>('SELECT * FROM alerts WHERE kind = ? AND resolved_at IS NULL AND raised_at < ?')
  const record = db.prepare<[string, string, string, string, number, number | null], Row>(
    'INSERT INTO alerts (kind, severity, subject, message, raised_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  )

  return {
    /** Opens an alert unless one is open for the same kind and subject; returns it when new. */
    raise(kind: AlertKind, subject: string, message: string, at = Date.now(), summary?: AlertSummary): AlertView | undefined {
      const row = raise.get(
        kind,
        ALERT_SEVERITY[kind],
        subject,
        message,
        at,
        summary?.count ?? null,
        summary ? JSON.stringify(summary.top_sources) : null,
      )
      return row ? toAlertView(row) : undefined
    },
    /** Rewrites an open alert's message and summary; undefined when it is no longer open. */
    update(id: number, message: string, summary: AlertSummary | null, at = Date.now()): AlertView | undefined {
      const row = update.get(message, summary?.count ?? null, summary ? JSON.stringify(summary.top_sources) : null, at, id)
      return row ? toAlertView(row) : undefined
    },
    /** The open alert of this kind and subject, if any. */
    openOf(kind: AlertKind, subject: string): AlertView | undefined {
      const row = openOne.get(kind, subject)
      return row ? toAlertView(row) : undefined
    },
    resolve(kind: AlertKind, subject: string, at = Date.now()): AlertView | undefined {
      const row = resolve.get(at, kind, subject)
      return row ? toAlertView(row) : undefined
    },
    /** Writes an alert that was raised (and maybe resolved) while the store could not be written. */
    record(kind: AlertKind, subject: string, message: string, raisedAt: number, resolvedAt: number | null): AlertView {
      return toAlertView(record.get(kind, ALERT_SEVERITY[kind], subject, message, raisedAt, resolvedAt)!)
    },
    acknowledge(id: number, by: string, at = Date.now()): AlertView | undefined {
      const row = ack.get(at, by, id)
      return row ? toAlertView(row) : undefined
    },
    get: (id: number): AlertView | undefined => {
      const row = byId.get(id)
      return row ? toAlertView(row) : undefined
    },
    open: (): AlertView[] => open.all().map(toAlertView),
    recent: (limit = 200): AlertView[] => recent.all(limit).map(toAlertView),
    openSubjects: (kind: AlertKind): Set<string> => new Set(openOf.all(kind).map((r) => r.subject)),
    /** Open alerts of a kind raised before a time (notices that have aged out). */
    openOlderThan: (kind: AlertKind, before: number): AlertView[] => openOlder.all(kind, before).map(toAlertView),
  }
}
