// Access decisions: who gets through which reader, and why not. A gateway's retry of a scan (same
// reader, credential and timestamp) gets its first decision back only within the retry window, and
// only if deciding it now would grant too (its own first grant aside, which would otherwise count
// as anti-passback): a retry never repeats a grant that a cancellation, a disabled reader or any
// other change since would deny. Outside the window it is decided afresh and counted. A scan
// already seen proves nothing new about its reader: only fresh ones refresh liveness.
import type { Db } from '../store/db'
import type { AccessEventPayload, AccessEventResponse, DecisionReason } from '../../../shared/webhooks'
import type { DecisionView } from '../../../shared/domain'
import type { Attendees, AttendeeRow } from './attendees'
import type { Gateways, ReaderRow } from './gateways'
import type { Projects } from './projects'
import type { CredentialConflicts } from './credential-conflicts'
import { orderingTime } from './clock'

interface DecisionRow {
  id: number
  reader_id: string
  credential_value: string
  scan_type: string | null
  scanned_at: number | null
  decided_at: number
  granted: number
  reason: string
  attendee_id: number | null
  project_id: number | null
  first_name: string | null
  last_name: string | null
}

export interface Decided {
  view: DecisionView
  response: AccessEventResponse
  /** True when a gateway's retry got its first decision back (not counted again). */
  retry: boolean
  /** The scan repeated one already decided (a retry decided afresh, or answered as before). */
  repeat: boolean
  /** The id of the first decision of a retried scan that was decided afresh. */
  retryOf: number | null
  reader: ReaderRow
  /** The reader was first seen with this scan. */
  newReader: boolean
  /** The scan's timestamp was further ahead of its arrival than the skew allows. */
  clockAhead: boolean
}

export interface DecisionsDeps {
  attendees: Attendees
  gateways: Gateways
  projects: Projects
  conflicts: CredentialConflicts
  skewMs: number
  retryWindowMs: number
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type Decisions = ReturnType<typeof createDecisions>

export function createDecisions(db: Db, deps: DecisionsDeps) {
  const { attendees, gateways, projects, conflicts } = deps
  const SELECT = `SELECT d.*, a.first_name, a.last_name FROM decisions d LEFT JOIN attendees a ON a.id = d.attendee_id`
  const firstOf = db.prepare<[string, string, number], DecisionRow>(
    `${SELECT} WHERE d.reader_id = ? AND d.credential_value = ? AND d.scanned_at = ? AND d.retry_of IS NULL`,
  )
  const insert = db.prepare<
    [string, string, string | null, number | null, number, number, string, number | null, number | null, number | null],
    { id: number }
  >(
    `INSERT INTO decisions (reader_id, credential_value, scan_type, scanned_at, decided_at, granted, reason, attendee_id, project_id, retry_of)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
  const lastGrant = db.prepare<[number, string, number, number], { id: number }>(
    'SELECT id FROM decisions WHERE attendee_id = ? AND reader_id = ? AND granted = 1 AND decided_at >= ? AND id != ? LIMIT 1',
  )
  const since = db.prepare<[number, number], DecisionRow>(`${SELECT} WHERE d.decided_at >= ? ORDER BY d.id DESC LIMIT ?`)
  const counts = db.prepare<[number], { granted: number; denied: number }>(
    'SELECT coalesce(sum(granted), 0) AS granted, coalesce(sum(1 - granted), 0) AS denied FROM decisions WHERE decided_at >= ?',
  )
  const perMinute = db.prepare<[number], { minute: number; granted: number; denied: number }>(
    `SELECT (decided_at / 60000) * 60000 AS minute, sum(granted) AS granted, sum(1 - granted) AS denied
     FROM decisions WHERE decided_at >= ? GROUP BY decided_at / 60000 ORDER BY minute`,
  )

  const toView = (r: DecisionRow): DecisionView => ({
    id: r.id,
    reader_id: r.reader_id,
    credential_value: r.credential_value,
    scan_type: r.scan_type,
    scanned_at: iso(r.scanned_at),
    decided_at: iso(r.decided_at)!,
    access_granted: r.granted === 1,
    reason: r.reason as DecisionReason,
    attendee:
      r.attendee_id !== null && r.first_name !== null
        ? { id: r.attendee_id, first_name: r.first_name, last_name: r.last_name ?? '' }
        : null,
    project: projects.name(r.project_id),
  })

  const toResponse = (v: DecisionView): AccessEventResponse => ({
    success: true,
    access_granted: v.access_granted,
    attendee: v.attendee,
    reason: v.reason,
  })

  /** The checks, in the documented order. `ownGrant`: a decision whose grant is not anti-passback. */
  function judge(
    reader: ReaderRow,
    attendee: AttendeeRow | undefined,
    projectId: number | null,
    credential: string,
    now: number,
    ownGrant = 0,
  ): DecisionReason {
    if (reader.enabled !== 1) return 'reader_disabled'
    if (!attendee) return projectId !== null && conflicts.isOpen(projectId, credential) ? 'credential_conflict' : 'unknown_credential'
    if (attendee.cancelled === 1) return 'cancelled'
    if (reader.allowed_types) {
      const allowed = JSON.parse(reader.allowed_types) as string[]
      if (!allowed.includes(attendee.attendee_type)) return 'not_permitted'
    }
    const window = reader.anti_passback_seconds
    if (window && window > 0 && lastGrant.get(attendee.id, reader.reader_id, now - window * 1000, ownGrant)) return 'duplicate_scan'
    return 'granted'
  }

  return {
    /** Decides one scan inside the caller's transaction. */
    decide(p: AccessEventPayload, receivedAt: number): Decided {
      const scannedAt = p.timestamp ? Date.parse(p.timestamp) : null
      const stamp = scannedAt === null ? { at: receivedAt, ahead: false } : orderingTime(scannedAt, receivedAt, deps.skewMs)
      const first = scannedAt === null ? undefined : firstOf.get(p.reader_id, p.credential_value, scannedAt)
      // A scan seen before refreshes nothing: only fresh ones are proof that the reader works.
      const seen = first !== undefined
      const { reader, created: newReader } = seen
        ? { reader: gateways.reader(p.reader_id)!, created: false }
        : gateways.readerForScan(p.reader_id, stamp.at, receivedAt)
      const projectId = reader.project_id ?? projects.defaultId()
      const attendee = projectId === null ? undefined : attendees.byCredential(projectId, p.credential_value)
      const withinWindow = first !== undefined && receivedAt - first.decided_at <= deps.retryWindowMs
      if (first && withinWindow) {
        const again = () => {
          const view = toView(first)
          return {
            view,
            response: toResponse(view),
            retry: true,
            repeat: true,
            retryOf: null,
            reader,
            newReader: false,
            clockAhead: stamp.ahead,
          }
        }
        // A denial stays a denial; a grant is repeated only while a fresh decision would grant too.
        if (first.granted === 0) return again()
        if (judge(reader, attendee, projectId, p.credential_value, receivedAt, first.id) === 'granted') return again()
      }
      const reason = judge(reader, attendee, projectId, p.credential_value, receivedAt)
      const granted = reason === 'granted'
      if (attendee && !seen) attendees.touchScan(attendee.id, stamp.at)
      const retryOf = first?.id ?? null
      const id = insert.get(
        p.reader_id,
        p.credential_value,
        p.scan_type ?? null,
        scannedAt,
        receivedAt,
        granted ? 1 : 0,
        reason,
        attendee?.id ?? null,
        projectId,
        retryOf,
      )!.id
      const view: DecisionView = {
        id,
        reader_id: p.reader_id,
        credential_value: p.credential_value,
        scan_type: p.scan_type ?? null,
        scanned_at: iso(scannedAt),
        decided_at: iso(receivedAt)!,
        access_granted: granted,
        reason,
        attendee: attendee ? { id: attendee.id, first_name: attendee.first_name, last_name: attendee.last_name } : null,
        project: projects.name(projectId),
      }
      return { view, response: toResponse(view), retry: false, repeat: seen, retryOf, reader, newReader, clockAhead: stamp.ahead }
    },
    recent(sinceMs: number, limit = 200): DecisionView[] {
      return since.all(sinceMs, limit).map(toView)
    },
    counts: (sinceMs: number) => counts.get(sinceMs)!,
    perMinute: (sinceMs: number) => perMinute.all(sinceMs),
  }
}
