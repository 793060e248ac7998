// The desk's live picture: a snapshot from `overview:get`, then each event batch merged in one
// step. Pure functions, so a batch of 2,000 events is one new state (one render), and every
// decision and request counts exactly once (at or below the snapshot's watermark: in its counts).
import { SNAPSHOT_REFUSED_LIMIT, type Counters, type DeskEventBatch, type MinuteBucket, type Overview } from '../../../shared/contract'
import type { AlertView, DecisionView, GatewayView, ReaderView, SyncSummary } from '../../../shared/domain'
import { logIdNumber } from '../../../shared/log'
import type { LockdownView, ZoneView } from '../../../shared/venue'
import { queueOrder } from '../../../shared/alerts'

export const FEED_LIMIT = 200
const HOUR_MS = 3600_000

export interface LiveState {
  todaySince: number
  gatewayTimeoutSeconds: number
  receiverUrls: string[]
  storeFault: string | null
  gateways: GatewayView[]
  unassigned: ReaderView[]
  counters: Counters
  /** Newest first, at most FEED_LIMIT. */
  feed: DecisionView[]
  /** Oldest first, the last hour only. */
  minutes: MinuteBucket[]
  requestsByStatus: Array<{ status: number; count: number }>
  /** Unresolved alerts in queue order: priority, then the oldest first. */
  openAlerts: AlertView[]
  /** Zones by name, with who is inside. */
  zones: ZoneView[]
  /** Lockdowns in force (a banner while any is). */
  lockdowns: LockdownView[]
  lastDecisionId: number
  lastLogId: number
  /** Counts last heard of recent refused entries: an aggregated one is pushed again as it grows. */
  refusedCounts: ReadonlyMap<number, number>
  maxAlertId: number
  lastSync: SyncSummary | null
  /** Bumped when something a view fetches on its own may have changed. */
  versions: { alerts: number; logs: number; config: number; sync: number; decisions: number }
}

export interface BatchResult {
  state: LiveState
  /** Alerts first seen in this batch, still open and unacknowledged (they deserve a sound). */
  newAlerts: AlertView[]
}

export function localMidnight(ms: number): number {
  const d = new Date(ms)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

const byGatewayId = (a: GatewayView, b: GatewayView): number => a.gateway_id.localeCompare(b.gateway_id)
const byReaderId = (a: ReaderView, b: ReaderView): number => a.reader_id.localeCompare(b.reader_id)
const rate = (entries: number, denials: number): number => (entries + denials === 0 ? 0 : denials / (entries + denials))

/**
 * A fresh state from a snapshot; `previous` keeps the feed (merged by id) and the version counters.
 * The snapshot's watermark says what its figures count: only events past it are applied on top.
 */
export function fromOverview(overview: Overview, previous: LiveState | null): LiveState {
  const snapshotFeed = overview.recent_decisions
  const { watermark } = overview
  const lastDecisionId = watermark.decision_id
  const feed = previous
    ? mergeFeed(
        previous.feed.filter((d) => d.id <= lastDecisionId),
        snapshotFeed,
      )
    : snapshotFeed.slice(0, FEED_LIMIT)
  return {
    todaySince: overview.station.today_since,
    gatewayTimeoutSeconds: overview.station.gateway_timeout_seconds,
    receiverUrls: overview.station.receiver_urls,
    storeFault: overview.station.store_fault,
    gateways: [...overview.gateways].sort(byGatewayId),
    unassigned: [...overview.unassigned_readers].sort(byReaderId),
    counters: overview.counters,
    feed,
    minutes: overview.scans_per_minute,
    requestsByStatus: [...overview.requests_by_status].sort((a, b) => a.status - b.status),
    openAlerts: [...overview.open_alerts].sort(queueOrder),
    zones: [...overview.zones].sort((a, b) => a.name.localeCompare(b.name)),
    lockdowns: overview.lockdowns,
    lastDecisionId,
    lastLogId: watermark.log_id,
    // The counts the snapshot has: a refusal pushed again adds only what it grew past them.
    refusedCounts: new Map(watermark.refused_counts.map((r) => [r.id, r.count])),
    maxAlertId: Math.max(previous?.maxAlertId ?? 0, ...overview.open_alerts.map((a) => a.id)),
    lastSync: previous?.lastSync ?? null,
    versions: previous
      ? { ...previous.versions, alerts: previous.versions.alerts + 1 }
      : { alerts: 0, logs: 0, config: 0, sync: 0, decisions: 0 },
  }
}

function mergeFeed(a: DecisionView[], b: DecisionView[]): DecisionView[] {
  const byId = new Map<number, DecisionView>()
  for (const d of a) byId.set(d.id, d)
  for (const d of b) byId.set(d.id, d)
  return [...byId.values()].sort((x, y) => y.id - x.id).slice(0, FEED_LIMIT)
}

/** Merges one batch; `now` prunes the per-minute buckets to the last hour. */
export function applyBatch(state: LiveState, batch: DeskEventBatch, now = Date.now()): BatchResult {
  let gateways: Map<string, GatewayView> | null = null
  let unassigned: Map<string, ReaderView> | null = null
  let alerts: Map<number, AlertView> | null = null
  let buckets: Map<number, MinuteBucket> | null = null
  let zones: Map<string, ZoneView> | null = null
  let lockdowns: LockdownView[] | null = null
  let statuses: Map<number, number> | null = null
  let refusedCounts: Map<number, number> | null = null
  const decided: DecisionView[] = []
  const newAlerts: AlertView[] = []
  let { todaySince, lastDecisionId, lastLogId, maxAlertId, lastSync } = state
  let { entries_today: entries, denials_today: denials } = state.counters
  const versions = { ...state.versions }

  for (const e of batch) {
    switch (e.event) {
      case 'gateway:changed': {
        gateways ??= new Map(state.gateways.map((g) => [g.gateway_id, g]))
        gateways.set(e.payload.gateway_id, e.payload)
        if (e.payload.readers.length > 0) {
          unassigned ??= new Map(state.unassigned.map((r) => [r.reader_id, r]))
          for (const r of e.payload.readers) unassigned.delete(r.reader_id)
        }
        break
      }
      case 'reader:changed': {
        if (e.payload.gateway_id !== null) break // its gateway's own event carries it
        unassigned ??= new Map(state.unassigned.map((r) => [r.reader_id, r]))
        unassigned.set(e.payload.reader_id, e.payload)
        break
      }
      case 'access:decided': {
        const d = e.payload
        if (d.id <= lastDecisionId) break // already in the snapshot's counts
        lastDecisionId = d.id
        decided.push(d)
        const at = Date.parse(d.decided_at)
        if (at >= todaySince + 24 * HOUR_MS) {
          todaySince = localMidnight(at)
          entries = 0
          denials = 0
        }
        if (at >= todaySince) {
          if (d.access_granted) entries++
          else denials++
        }
        buckets ??= new Map(state.minutes.map((m) => [m.minute, { ...m }]))
        const minute = Math.floor(at / 60_000) * 60_000
        const bucket = buckets.get(minute) ?? { minute, granted: 0, denied: 0 }
        if (d.access_granted) bucket.granted++
        else bucket.denied++
        buckets.set(minute, bucket)
        break
      }
      case 'log:entry': {
        const id = logIdNumber(e.payload.id)
        const count = e.payload.count ?? 1
        refusedCounts ??= new Map(state.refusedCounts)
        // A new entry adds its count; an aggregate pushed again adds what it grew by.
        const before = id > lastLogId ? 0 : refusedCounts.get(id)
        if (before === undefined || count <= before) break
        lastLogId = Math.max(lastLogId, id)
        if (e.payload.refused) refusedCounts.set(id, count)
        statuses ??= new Map(state.requestsByStatus.map((s) => [s.status, s.count]))
        statuses.set(e.payload.status, (statuses.get(e.payload.status) ?? 0) + count - before)
        break
      }
      case 'alert:changed': {
        const a = e.payload
        alerts ??= new Map(state.openAlerts.map((x) => [x.id, x]))
        const before = alerts.get(a.id)
        // New to the desk: never seen, reopened (it recurred), or back from a snooze: each deserves a sound.
        const fresh = before
          ? a.state === 'open' && (before.state === 'snoozed' || before.occurrences < a.occurrences)
          : a.state === 'open' && (a.id > maxAlertId || a.occurrences > 1 || a.reopened_at !== null)
        if (a.resolved_at) alerts.delete(a.id)
        else alerts.set(a.id, a)
        if (fresh) newAlerts.push(a)
        maxAlertId = Math.max(maxAlertId, a.id)
        versions.alerts++
        break
      }
      case 'zone:changed':
        zones ??= new Map(state.zones.map((z) => [z.name, z]))
        zones.set(e.payload.name, e.payload)
        break
      case 'lockdown:changed':
        lockdowns = e.payload
        break
      case 'sync:completed':
        lastSync = e.payload
        versions.sync++
        break
      case 'config:changed':
        versions.config++
        break
    }
  }
  if (decided.length > 0) versions.decisions++
  if (statuses) versions.logs++
  // The station does not resend a gateway for every scan: a decision moves its reader's last scan.
  if (decided.length > 0) {
    const lastScan = new Map(decided.map((d) => [d.reader_id, d.scanned_at ?? d.decided_at]))
    const touch = (r: ReaderView): ReaderView => {
      const at = lastScan.get(r.reader_id)
      return at !== undefined && (r.last_scan === null || at > r.last_scan) ? { ...r, last_scan: at } : r
    }
    const source = gateways ?? new Map(state.gateways.map((g) => [g.gateway_id, g]))
    let touched = false
    for (const [id, g] of source) {
      if (!g.readers.some((r) => lastScan.has(r.reader_id))) continue
      source.set(id, { ...g, readers: g.readers.map(touch) })
      touched = true
    }
    if (touched) gateways = source
    const loose = unassigned ?? new Map(state.unassigned.map((r) => [r.reader_id, r]))
    if ([...loose.keys()].some((id) => lastScan.has(id))) {
      for (const [id, r] of loose) loose.set(id, touch(r))
      unassigned = loose
    }
  }

  const next: LiveState = {
    ...state,
    todaySince,
    lastDecisionId,
    lastLogId,
    refusedCounts: refusedCounts ? newest(refusedCounts, SNAPSHOT_REFUSED_LIMIT) : state.refusedCounts,
    maxAlertId,
    lastSync,
    versions,
    counters: decided.length > 0 ? { entries_today: entries, denials_today: denials, denial_rate: rate(entries, denials) } : state.counters,
    feed: decided.length > 0 ? [...decided.slice(-FEED_LIMIT).reverse(), ...state.feed].slice(0, FEED_LIMIT) : state.feed,
    gateways: gateways ? [...gateways.values()].sort(byGatewayId) : state.gateways,
    unassigned: unassigned ? [...unassigned.values()].sort(byReaderId) : state.unassigned,
    openAlerts: alerts ? [...alerts.values()].sort(queueOrder) : state.openAlerts,
    zones: zones ? [...zones.values()].sort((a, b) => a.name.localeCompare(b.name)) : state.zones,
    lockdowns: lockdowns ?? state.lockdowns,
    requestsByStatus: statuses
      ? [...statuses].map(([status, count]) => ({ status, count })).sort((a, b) => a.status - b.status)
      : state.requestsByStatus,
    minutes:
      buckets || state.minutes.some((m) => m.minute < now - HOUR_MS)
        ? pruneMinutes(buckets ?? new Map(state.minutes.map((m) => [m.minute, m])), now)
        : state.minutes,
  }
  return { state: next, newAlerts }
}

/** The `limit` highest ids of a map. */
function newest(map: Map<number, number>, limit: number): Map<number, number> {
  if (map.size <= limit) return map
  return new Map([...map].sort((a, b) => b[0] - a[0]).slice(0, limit))
}

function pruneMinutes(buckets: Map<number, MinuteBucket>, now: number): MinuteBucket[] {
  const from = Math.floor((now - HOUR_MS) / 60_000) * 60_000
  return [...buckets.values()].filter((m) => m.minute >= from).sort((a, b) => a.minute - b.minute)
}
