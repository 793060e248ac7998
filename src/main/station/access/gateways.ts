// Gateways and their readers: registered on first sight, status and last_seen recorded, health
// derived from the reported status and from silence (GATEHOUSE_GATEWAY_TIMEOUT_SECONDS). Only a
// report newer than the one applied is proof of life: an older one, or one with the same
// timestamp (a replayed capture looks exactly like that), refreshes nothing.
import type { Db } from '../store/db'
import type { GatewayStatusPayload } from '../../../shared/webhooks'
import { TEST_GATEWAY_ID, type GatewayHealth, type GatewayView, type ReaderHealth, type ReaderView } from '../../../shared/domain'
import { orderingTime } from './clock'
import type { Direction } from '../../../shared/venue'
import { formatOpenWindows, type OpenWindow } from '../venue/open-windows'

export interface GatewayRow {
  id: number
  gateway_id: string
  status: string
  reported_at: number | null
  first_seen: number
  last_seen: number
}

export interface ReaderRow {
  id: number
  reader_id: string
  gateway_id: number | null
  status: string | null
  reported_at: number | null
  last_scan: number | null
  last_seen: number | null
  project_id: number | null
  enabled: number
  allowed_types: string | null
  anti_passback_seconds: number | null
  zone_id: number | null
  direction: Direction
  /** JSON [["08:00","18:30"], …], station local time; null: always open. */
  open_windows: string | null
}

export interface ReaderSettings {
  project_id?: number | null
  enabled?: boolean
  allowed_types?: string[] | null
  anti_passback_seconds?: number | null
  zone_id?: number | null
  direction?: Direction
  open_windows?: OpenWindow[] | null
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
const DEGRADED_READER = new Set(['disconnected', 'error'])

export function gatewayHealth(status: string, lastSeen: number, now: number, timeoutMs: number): GatewayHealth {
  if (now - lastSeen > timeoutMs) return 'offline'
  switch (status.toLowerCase()) {
    case 'online':
      return 'online'
    case 'offline':
      return 'offline'
    case 'degraded':
      return 'degraded'
    default:
      return 'unknown'
  }
}

export function readerHealth(status: string | null, gateway: GatewayHealth | null): ReaderHealth {
  if (gateway === 'offline') return 'degraded'
  const s = status?.toLowerCase() ?? null
  if (s === 'connected') return 'healthy'
  if (s !== null && DEGRADED_READER.has(s)) return 'degraded'
  return 'unknown'
}

export const isReaderDown = (status: string | null): boolean => status !== null && DEGRADED_READER.has(status.toLowerCase())

export interface StatusChange {
  gatewayId: string
  /** Not newer than the report already applied: nothing changed, nothing refreshed. */
  ignored: boolean
  /** The report's timestamp was further ahead of its arrival than the skew allows. */
  clockAhead: boolean
  /** Readers whose reported status changed: [reader_id, old, new]. */
  readerChanges: Array<{ readerId: string; before: string | null; after: string }>
  statusBefore: string | null
}

export type Gateways = ReturnType<typeof createGateways>

/** A row's last scan and last seen as scans moved them; `pending` until written. */
interface Mark {
  scan: number
  seen: number
  /** When the row was last written (a receivedAt). */
  writtenAt: number
  pending: boolean
}

/** Writes a row's mark now if it was last written a second ago or more; else leaves it in memory. */
function markOrWrite(marks: Map<number, Mark>, id: number, scan: number, seen: number, write: (scan: number, seen: number) => void): void {
  const m = marks.get(id)
  if (m && seen >= m.writtenAt && seen - m.writtenAt < MARK_MS) {
    m.scan = Math.max(m.scan, scan)
    m.seen = Math.max(m.seen, seen)
    m.pending = true
    return
  }
  const next = m?.pending ? { scan: Math.max(m.scan, scan), seen: Math.max(m.seen, seen) } : { scan, seen }
  write(next.scan, next.seen)
  marks.set(id, { ...next, writtenAt: seen, pending: false })
}

function written(m: Mark): void {
  m.pending = false
  m.writtenAt = m.seen
}

/** How often at most a scan writes its reader's and gateway's row (ms). */
const MARK_MS = 1000

export interface GatewaysOptions {
  /** The gateway timeout (ms), read at each use: it can change while the station runs. */
  timeoutMs: () => number
  skewMs: number
  projectName: (id: number | null) => string | null
  zoneName: (id: number) => string | null
}

export function createGateways(db: Db, options: GatewaysOptions) {
  const getGw = db.prepare<[string], GatewayRow>('SELECT * FROM gateways WHERE gateway_id = ?')
  const gwById = db.prepare<[number], GatewayRow>('SELECT * FROM gateways WHERE id = ?')
  const insertGw = db.prepare<[string, string, number | null, number, number], GatewayRow>(
    'INSERT INTO gateways (gateway_id, status, reported_at, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) RETURNING *',
  )
  const updateGw = db.prepare<[string, number | null, number, number]>(
    'UPDATE gateways SET status = ?, reported_at = ?, last_seen = ? WHERE id = ?',
  )
  const seenGw = db.prepare<[number, number]>('UPDATE gateways SET last_seen = max(last_seen, ?) WHERE id = ?')
  const allGw = db.prepare<[], GatewayRow>('SELECT * FROM gateways ORDER BY gateway_id')
  const getReader = db.prepare<[string], ReaderRow>('SELECT * FROM readers WHERE reader_id = ?')
  const insertReader = db.prepare<[string, number | null, string | null, number | null, number | null, number | null], ReaderRow>(
    'INSERT INTO readers (reader_id, gateway_id, status, reported_at, last_scan, last_seen) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  )
  const updateReader = db.prepare<[number | null, string, number | null, number | null, number, number]>(
    'UPDATE readers SET gateway_id = ?, status = ?, reported_at = ?, last_scan = max(coalesce(last_scan, 0), coalesce(?, 0)), last_seen = ? WHERE id = ?',
  )
  const scanReader = db.prepare<[number, number, number]>(
    'UPDATE readers SET last_scan = max(coalesce(last_scan, 0), ?), last_seen = max(coalesce(last_seen, 0), ?) WHERE id = ?',
  )
  const readersOf = db.prepare<[number], ReaderRow>('SELECT * FROM readers WHERE gateway_id = ? ORDER BY reader_id')
  const orphanReaders = db.prepare<[], ReaderRow>('SELECT * FROM readers WHERE gateway_id IS NULL ORDER BY reader_id')
  const settingsStmt = db.prepare<[number | null, number, string | null, number | null, number | null, string, string | null, number]>(
    'UPDATE readers SET project_id = ?, enabled = ?, allowed_types = ?, anti_passback_seconds = ?, zone_id = ?, direction = ?, open_windows = ? WHERE id = ?',
  )

  const quietConnected = db.prepare<
    [number],
    { reader_id: string; gateway: string; last_seen: number; gw_status: string; gw_last_seen: number }
  >(
    `SELECT r.reader_id, g.gateway_id AS gateway, r.last_seen, g.status AS gw_status, g.last_seen AS gw_last_seen
     FROM readers r JOIN gateways g ON g.id = r.gateway_id
     WHERE lower(r.status) = 'connected' AND r.enabled = 1 AND r.last_seen IS NOT NULL AND r.last_seen < ?`,
  )
  const gatewayNames = new Map<number, string>()

  // Every scan moves its reader's last scan and its gateway's last seen. Each row is written at
  // most once a second: a scan within that second leaves its mark in memory, written by
  // flushMarks (the station does it twice a second), since two UPDATEs a scan were a good part of
  // its write. This process reads the rows with its marks laid over; another process (the CLI)
  // may see them up to a second old, and after a crash the next start rebuilds them from the
  // decisions (rebuildMarks).
  const readerMarks = new Map<number, Mark>()
  const gatewayMarks = new Map<number, Mark>()
  const rebuildReaders = db.prepare<[number, number]>(
    `UPDATE readers SET last_scan = max(coalesce(last_scan, 0), d.scan), last_seen = max(coalesce(last_seen, 0), d.seen)
     FROM (SELECT reader_id, max(CASE WHEN scanned_at IS NULL OR scanned_at - decided_at > ? THEN decided_at ELSE scanned_at END) AS scan,
                  max(decided_at) AS seen
           FROM decisions WHERE decided_at >= ? AND retry_of IS NULL GROUP BY reader_id) AS d
     WHERE readers.reader_id = d.reader_id`,
  )
  const rebuildGateways = db.prepare<[number]>(
    `UPDATE gateways SET last_seen = max(last_seen, d.seen)
     FROM (SELECT r.gateway_id AS id, max(x.decided_at) AS seen FROM decisions x JOIN readers r ON r.reader_id = x.reader_id
           WHERE x.decided_at >= ? AND x.retry_of IS NULL AND r.gateway_id IS NOT NULL GROUP BY r.gateway_id) AS d
     WHERE gateways.id = d.id`,
  )
  const newestDecision = db.prepare<[], number | null>('SELECT max(decided_at) FROM decisions').pluck()

  const withMarks = (r: ReaderRow): ReaderRow => {
    const m = readerMarks.get(r.id)
    return m?.pending ? { ...r, last_scan: Math.max(r.last_scan ?? 0, m.scan), last_seen: Math.max(r.last_seen ?? 0, m.seen) } : r
  }
  const gwWithMarks = (g: GatewayRow): GatewayRow => {
    const m = gatewayMarks.get(g.id)
    return m?.pending ? { ...g, last_seen: Math.max(g.last_seen, m.seen) } : g
  }

  function readerView(r: ReaderRow, gw: GatewayRow | undefined, gwHealth: GatewayHealth | null): ReaderView {
    return {
      reader_id: r.reader_id,
      gateway_id: gw?.gateway_id ?? null,
      status: r.status,
      health: readerHealth(r.status, gwHealth),
      last_scan: iso(r.last_scan || null),
      last_seen: iso(r.last_seen),
      project: options.projectName(r.project_id),
      enabled: r.enabled === 1,
      allowed_types: r.allowed_types ? (JSON.parse(r.allowed_types) as string[]) : null,
      anti_passback_seconds: r.anti_passback_seconds,
      zone: r.zone_id === null ? null : options.zoneName(r.zone_id),
      direction: r.direction,
      open_windows: r.open_windows ? formatOpenWindows(JSON.parse(r.open_windows) as OpenWindow[]) : null,
    }
  }

  function gatewayView(row: GatewayRow, now = Date.now()): GatewayView {
    const g = gwWithMarks(row)
    const health = gatewayHealth(g.status, g.last_seen, now, options.timeoutMs())
    const readers = readersOf.all(g.id).map((r) => readerView(withMarks(r), g, health))
    const counts = { total: readers.length, healthy: 0, degraded: 0, unknown: 0 }
    for (const r of readers) counts[r.health]++
    return {
      gateway_id: g.gateway_id,
      status: g.status,
      health,
      last_seen: iso(g.last_seen)!,
      reported_at: iso(g.reported_at),
      readers,
      reader_counts: counts,
    }
  }

  return {
    /** Records a status report (inside the caller's transaction); one not newer than the applied one changes nothing. */
    applyStatus(p: GatewayStatusPayload, receivedAt: number): StatusChange {
      const stamp = p.timestamp ? orderingTime(Date.parse(p.timestamp), receivedAt, options.skewMs) : { at: receivedAt, ahead: false }
      const reportedAt = stamp.at
      let gw = getGw.get(p.gateway_id)
      const statusBefore = gw?.status ?? null
      if (gw && gw.reported_at !== null && reportedAt <= gw.reported_at) {
        return { gatewayId: p.gateway_id, ignored: true, clockAhead: stamp.ahead, readerChanges: [], statusBefore }
      }
      if (!gw) gw = insertGw.get(p.gateway_id, p.status, reportedAt, receivedAt, receivedAt)!
      else updateGw.run(p.status, reportedAt, receivedAt, gw.id)
      const readerChanges: StatusChange['readerChanges'] = []
      for (const r of p.readers ?? []) {
        const lastScan = r.last_scan ? orderingTime(Date.parse(r.last_scan), receivedAt, options.skewMs).at : null
        const existing = getReader.get(r.reader_id)
        if (!existing) insertReader.get(r.reader_id, gw.id, r.status, reportedAt, lastScan, receivedAt)
        else updateReader.run(gw.id, r.status, reportedAt, lastScan, receivedAt, existing.id)
        if (existing?.status !== r.status) readerChanges.push({ readerId: r.reader_id, before: existing?.status ?? null, after: r.status })
      }
      return { gatewayId: p.gateway_id, ignored: false, clockAhead: stamp.ahead, readerChanges, statusBefore }
    },
    /** The reader an access event names, registered on first sight; refreshes its last scan. */
    readerForScan(readerId: string, scanAt: number, receivedAt: number): { reader: ReaderRow; created: boolean } {
      const existing = getReader.get(readerId)
      if (!existing) return { reader: insertReader.get(readerId, null, null, null, scanAt, receivedAt)!, created: true }
      markOrWrite(readerMarks, existing.id, scanAt, receivedAt, (scan, seen) => scanReader.run(scan, seen, existing.id))
      const gw = existing.gateway_id
      if (gw !== null) markOrWrite(gatewayMarks, gw, receivedAt, receivedAt, (_, seen) => seenGw.run(seen, gw))
      return { reader: withMarks(existing), created: false }
    },
    /** Writes the marks that scans left in memory (inside the caller's transaction). */
    flushMarks(): void {
      for (const [id, m] of readerMarks) {
        if (!m.pending) continue
        scanReader.run(m.scan, m.seen, id)
        written(m)
      }
      for (const [id, m] of gatewayMarks) {
        if (!m.pending) continue
        seenGw.run(m.seen, id)
        written(m)
      }
    },
    hasMarks(): boolean {
      for (const m of readerMarks.values()) if (m.pending) return true
      for (const m of gatewayMarks.values()) if (m.pending) return true
      return false
    },
    /**
     * After a crash the last second of marks may not have been written: takes readers' last scan
     * and gateways' last seen forward to the decisions of the ten seconds before the newest one.
     */
    rebuildMarks(): void {
      const newest = newestDecision.get()
      if (newest === null || newest === undefined) return
      rebuildReaders.run(options.skewMs, newest - 10_000)
      rebuildGateways.run(newest - 10_000)
    },
    /** The gateway_id text of a gateway row id (cached: ids never change). */
    nameOf(id: number): string | undefined {
      let name = gatewayNames.get(id)
      if (name === undefined) {
        name = gwById.get(id)?.gateway_id
        if (name !== undefined) gatewayNames.set(id, name)
      }
      return name
    },
    reader: (readerId: string): ReaderRow | undefined => {
      const r = getReader.get(readerId)
      return r && withMarks(r)
    },
    configureReader(readerId: string, s: ReaderSettings): ReaderRow | undefined {
      const r = getReader.get(readerId)
      if (!r) return undefined
      const types =
        s.allowed_types === undefined ? r.allowed_types : s.allowed_types && s.allowed_types.length ? JSON.stringify(s.allowed_types) : null
      settingsStmt.run(
        s.project_id === undefined ? r.project_id : s.project_id,
        s.enabled === undefined ? r.enabled : Number(s.enabled),
        types,
        s.anti_passback_seconds === undefined ? r.anti_passback_seconds : s.anti_passback_seconds,
        s.zone_id === undefined ? r.zone_id : s.zone_id,
        s.direction ?? r.direction,
        s.open_windows === undefined ? r.open_windows : s.open_windows === null ? null : JSON.stringify(s.open_windows),
        r.id,
      )
      return getReader.get(readerId)
    },
    gateway: (gatewayId: string, now?: number): GatewayView | undefined => {
      const g = getGw.get(gatewayId)
      return g ? gatewayView(g, now) : undefined
    },
    gatewayOfReader(r: ReaderRow, now?: number): GatewayView | undefined {
      if (r.gateway_id === null) return undefined
      const g = gwById.get(r.gateway_id)
      return g ? gatewayView(g, now) : undefined
    },
    readerView: (r: ReaderRow): ReaderView => readerView(r, undefined, null),
    list(now = Date.now()): { gateways: GatewayView[]; unassigned: ReaderView[] } {
      return {
        gateways: allGw.all().map((g) => gatewayView(g, now)),
        unassigned: orphanReaders.all().map((r) => readerView(withMarks(r), undefined, null)),
      }
    },
    /**
     * Readers last reported `connected` from which nothing (no scan, no status of theirs) has come
     * for `quietMs`, while their gateway is online: a reader the gateway lists no more, or one that
     * hangs. Test gateways are left out.
     */
    silentReaders(now: number, quietMs: number): Array<{ reader_id: string; gateway_id: string; last_seen: number }> {
      return quietConnected
        .all(now - quietMs)
        .filter((r) => r.gateway !== TEST_GATEWAY_ID && gatewayHealth(r.gw_status, r.gw_last_seen, now, options.timeoutMs()) === 'online')
        .map((r) => ({ reader_id: r.reader_id, gateway_id: r.gateway, last_seen: r.last_seen }))
    },
    /** Gateways silent for longer than the timeout. */
    silent(now = Date.now()): GatewayRow[] {
      return allGw
        .all()
        .map(gwWithMarks)
        .filter((g) => now - g.last_seen > options.timeoutMs() && g.gateway_id !== TEST_GATEWAY_ID)
    },
  }
}
