// Access decisions: who gets through which reader, and why not (the checks: decision-rules.ts),
// and what a grant does: the person's zone, an override used up. A gateway's retry of a scan
// (same reader, credential and timestamp) gets its first decision back only within the retry
// window, and only if deciding it now would grant too (what the first grant did itself — its own
// anti-passback, its own entry — aside): a retry never repeats a grant that a cancellation, a
// disabled reader or any other change since would deny. Outside the window it is decided afresh
// and counted. A scan already seen proves nothing new about its reader: only fresh ones refresh
// liveness.
import type { Db } from '../store/db'
import type { AccessEventPayload, AccessEventResponse, DecisionReason } from '../../../shared/webhooks'
import type { DecisionView } from '../../../shared/domain'
import type { WatchKind } from '../../../shared/venue'
import type { Attendees } from './attendees'
import type { AttendeeScans } from './attendee-scans'
import type { Gateways, ReaderRow } from './gateways'
import type { Projects } from './projects'
import type { Zones, ZoneRow } from '../venue/zones'
import type { Overrides } from '../venue/overrides'
import { FORGIVABLE, type DecisionRules, type Judgement, type RulesDeps } from './decision-rules'
import { createRecentGrants } from './recent-grants'
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
  zone_id: number | null
  movement: string | null
  override_by: string | null
  first_name: string | null
  last_name: string | null
  zone_name: string | null
  watch_kind: string | null
  watch_note: string | null
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
  /** The reader's zone after the decision (its count moved when the grant moved someone). */
  zone: ZoneRow | undefined
  judgement: Judgement | undefined
}

export interface DecisionsDeps {
  attendees: Attendees
  attendeeScans: AttendeeScans
  gateways: Gateways
  projects: Projects
  zones: Zones
  overrides: Overrides
  rules: (grantedSince: RulesDeps['grantedSince']) => DecisionRules
  /** Registers how to put memory back if the running write does not commit (the commit queue's). */
  onUndo: (undo: () => void) => void
  skewMs: number
  retryWindowMs: number
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type Decisions = ReturnType<typeof createDecisions>

export function createDecisions(db: Db, deps: DecisionsDeps) {
  const { attendees, gateways, projects, zones } = deps
  const SELECT = `SELECT d.*, a.first_name, a.last_name, z.name AS zone_name, w.kind AS watch_kind, w.note AS watch_note
    FROM decisions d LEFT JOIN attendees a ON a.id = d.attendee_id LEFT JOIN zones z ON z.id = d.zone_id LEFT JOIN watch_list w ON w.id = d.watch_id`
  const firstOf = db.prepare<[string, string, number], DecisionRow>(
    `${SELECT} WHERE d.reader_id = ? AND d.credential_value = ? AND d.scanned_at = ? AND d.retry_of IS NULL`,
  )
  const insert = db.prepare<
    [
      string,
      string,
      string | null,
      number | null,
      number,
      number,
      string,
      number | null,
      number | null,
      number | null,
      number | null,
      string | null,
      string | null,
      number | null,
    ],
    { id: number }
  >(
    `INSERT INTO decisions (reader_id, credential_value, scan_type, scanned_at, decided_at, granted, reason, attendee_id, project_id, retry_of, zone_id, movement, override_by, watch_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
  const since = db.prepare<[number, number], DecisionRow>(`${SELECT} WHERE d.decided_at >= ? ORDER BY d.id DESC LIMIT ?`)
  const byId = db.prepare<[number], DecisionRow>(`${SELECT} WHERE d.id = ?`)
  const counts = db.prepare<[number], { granted: number; denied: number }>(
    'SELECT coalesce(sum(granted), 0) AS granted, coalesce(sum(1 - granted), 0) AS denied FROM decisions WHERE decided_at >= ?',
  )
  // People, not scans: Jane through three doors is one person in today.
  const entered = db.prepare<[number], number>(
    'SELECT count(DISTINCT attendee_id) FROM decisions WHERE decided_at >= ? AND granted = 1 AND attendee_id IS NOT NULL',
  )
  const perMinute = db.prepare<[number], { minute: number; granted: number; denied: number }>(
    `SELECT (decided_at / 60000) * 60000 AS minute, sum(granted) AS granted, sum(1 - granted) AS denied
     FROM decisions WHERE decided_at >= ? GROUP BY decided_at / 60000 ORDER BY minute`,
  )
  const grants = createRecentGrants(db, { onUndo: deps.onUndo })
  const rules = deps.rules((...args) => grants.grantedSince(...args))

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
    zone: r.zone_name,
    movement: r.movement === 'in' || r.movement === 'out' ? r.movement : null,
    override_by: r.override_by,
    watch: r.watch_kind ? { kind: r.watch_kind as WatchKind, note: r.watch_note ?? '' } : null,
  })

  const toResponse = (v: DecisionView): AccessEventResponse => ({
    success: true,
    access_granted: v.access_granted,
    attendee: v.attendee,
    reason: v.reason,
  })

  /** What a grant does to the person's zone; returns the movement that happened, if any. */
  function move(j: Judgement, attendeeId: number | undefined, zone: ZoneRow | undefined, at: number): 'in' | 'out' | null {
    if (!zone || attendeeId === undefined || j.movement === null) return null
    if (j.movement === 'in') return zones.presenceOf(attendeeId)?.zone_id === zone.id ? null : (zones.enter(attendeeId, zone.id, at), 'in')
    return zones.leave(attendeeId, zone.id) ? 'out' : null
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
      const zone = reader.zone_id === null ? undefined : zones.byId(reader.zone_id)
      const facts = { reader, zone, projectId, credential: p.credential_value, attendee, now: receivedAt }
      const base = { reader, newReader, clockAhead: stamp.ahead, zone }
      if (first && receivedAt - first.decided_at <= deps.retryWindowMs) {
        const again = (): Decided => {
          const view = toView(first)
          return {
            ...base,
            view,
            response: toResponse(view),
            retry: true,
            repeat: true,
            retryOf: null,
            newReader: false,
            judgement: undefined,
          }
        }
        // A denial stays a denial; a grant is repeated only while a fresh decision would grant too.
        if (first.granted === 0) return again()
        const ownGrant = { id: first.id, zoneId: first.zone_id, movement: first.movement }
        const fresh = rules.judge({ ...facts, ownGrant }, { useOverride: false }).reason
        if (fresh === 'granted' || (first.reason === 'override' && FORGIVABLE.has(fresh))) return again()
      }
      const j = rules.judge(facts)
      const granted = j.reason === 'granted' || j.reason === 'override'
      const movement = granted ? move(j, attendee?.id, zone, receivedAt) : null
      const retryOf = first?.id ?? null
      const overrideBy = j.override?.by ?? null
      const id = insert.get(
        p.reader_id,
        p.credential_value,
        p.scan_type ?? null,
        scannedAt,
        receivedAt,
        granted ? 1 : 0,
        j.reason,
        attendee?.id ?? null,
        projectId,
        retryOf,
        zone?.id ?? null,
        movement,
        overrideBy,
        j.watch?.id ?? null,
      )!.id
      if (j.override) deps.overrides.use(j.override.id, id, receivedAt)
      if (granted && attendee) grants.record(attendee.id, p.reader_id, id, receivedAt)
      if (attendee && !seen) deps.attendeeScans.scanned(attendee.id, stamp.at, id)
      const view: DecisionView = {
        id,
        reader_id: p.reader_id,
        credential_value: p.credential_value,
        scan_type: p.scan_type ?? null,
        scanned_at: iso(scannedAt),
        decided_at: iso(receivedAt)!,
        access_granted: granted,
        reason: j.reason,
        attendee: attendee ? { id: attendee.id, first_name: attendee.first_name, last_name: attendee.last_name } : null,
        project: projects.name(projectId),
        zone: zone?.name ?? null,
        movement,
        override_by: overrideBy,
        watch: j.watch ? { kind: j.watch.kind, note: j.watch.note } : null,
      }
      return {
        ...base,
        zone: movement && zone ? zones.byId(zone.id) : zone,
        view,
        response: toResponse(view),
        retry: false,
        repeat: seen,
        retryOf,
        judgement: j,
      }
    },
    get(id: number): DecisionView | undefined {
      const r = byId.get(id)
      return r ? toView(r) : undefined
    },
    recent(sinceMs: number, limit = 200): DecisionView[] {
      return since.all(sinceMs, limit).map(toView)
    },
    counts: (sinceMs: number) => counts.get(sinceMs)!,
    /** Distinct attendees granted at a reader since `sinceMs`. */
    enteredSince: (sinceMs: number): number => entered.pluck().get(sinceMs) ?? 0,
    perMinute: (sinceMs: number) => perMinute.all(sinceMs),
  }
}
