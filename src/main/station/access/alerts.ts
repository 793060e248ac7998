// Alerts: raised once per (kind, subject) while open, auto-resolved when the cause clears,
// acknowledged by a named operator.
import type { Db } from '../store/db'
import type { AlertKind, AlertSeverity, AlertView } from '../../../shared/domain'

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
})

export const ALERT_SEVERITY: Record<AlertKind, AlertSeverity> = {
  gateway_offline: 'critical',
  reader_disconnected: 'warning',
  signature_burst: 'warning',
  refused_source_burst: 'warning',
  store_failure: 'critical',
  integrity_failure: 'critical',
  notification_failing: 'warning',
}

export type Alerts = ReturnType<typeof createAlerts>

export function createAlerts(db: Db) {
  const raise = db.prepare<[string, string, string, string, number], Row>(
    `INSERT INTO alerts (kind, severity, subject, message, raised_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (kind, subject) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
  )
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
  const record = db.prepare<[string, string, string, string, number, number | null], Row>(
    'INSERT INTO alerts (kind, severity, subject, message, raised_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  )

  return {
    /** Opens an alert unless one is open for the same kind and subject; returns it when new. */
    raise(kind: AlertKind, subject: string, message: string, at = Date.now()): AlertView | undefined {
      const row = raise.get(kind, ALERT_SEVERITY[kind], subject, message, at)
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
  }
}
