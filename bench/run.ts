// `npm run bench`: one run on loopback. The same autocannon load (signed access-event scans) hits
// bare node:http, bare Fastify and the station, each in its own process; then attendee-sync of
// 100k rows, the log at 1M rows, live events to a dashboard client, store growth under refusal
// floods, and cold start. Prints a table with the targets and writes bench-results.json.
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, release } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ChildProcess } from 'node:child_process'
import { table } from '../src/main/cli/format'
import { load, pin, round, startServer, stopServer, READERS, SECRET, type LoadResult } from './load'
import { registerGateways, seedAndTimeSync, type SyncFigures } from './station-setup'
import { benchLogQuery } from './log-query'
import { benchDashboardEvents, type EventFigures } from './dashboard-events'
import { benchColdStart } from './cold-start'
import { benchRefusalFloods } from './refusal-flood'
import { benchHangingTarget, type HangingFigures } from './notify-hanging'
import { benchSyncStall, type SyncStallFigures } from './sync-stall'
import { benchDeskLoad, type DeskLoadFigures } from './desk-load'
import type { StationCounts, StationReady } from './servers/station'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const SATURATION = { connections: 32, seconds: 8 }
const FIXED = { connections: 16, seconds: 10, rate: 2_000 }
const WARMUP = { connections: 32, seconds: 2 }

type Measured<T> = { ok: true; value: T } | { ok: false; reason: string }

const step = (text: string): void => void process.stderr.write(`bench: ${text}\n`)

async function measure<T>(what: string, fn: () => Promise<T> | T): Promise<Measured<T>> {
  step(what)
  try {
    return { ok: true, value: await fn() }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    step(`  not measured: ${reason}`)
    return { ok: false, reason }
  }
}

interface TargetFigures {
  saturation: LoadResult
  fixed: LoadResult
}

async function loadTarget(url: string, afterWarmup?: () => void): Promise<TargetFigures> {
  await load({ url, ...WARMUP })
  afterWarmup?.()
  const saturation = await load({ url, ...SATURATION })
  const fixed = await load({ url, ...FIXED })
  return { saturation, fixed }
}

/** The server on core 0, this process (the load generator) on core 1; undone by unpinSelf. */
function pinPair(child: ChildProcess): void {
  if (!pin(child.pid!, '0') || !pin(process.pid, '1')) throw new Error('taskset could not pin the processes (util-linux missing?)')
}
const unpinSelf = (): boolean => pin(process.pid, `0-${cpus().length - 1}`)

async function baseline(entry: string, pinned = false): Promise<TargetFigures> {
  const { child, ready } = await startServer<{ port: number }>(entry)
  try {
    if (pinned) pinPair(child)
    return await loadTarget(`http://127.0.0.1:${ready.port}`)
  } finally {
    if (pinned) unpinSelf()
    await stopServer(child)
  }
}

/** The station's access-event at saturation with server and load generator on separate cores. */
async function pinnedStation(): Promise<TargetFigures> {
  const { child, ready } = await startServer<StationReady>('station.ts', { GATEHOUSE_SECRET: SECRET })
  const url = `http://127.0.0.1:${ready.port}`
  try {
    await seedAndTimeSync(url)
    await registerGateways(url)
    pinPair(child)
    return await loadTarget(url)
  } finally {
    unpinSelf()
    await stopServer(child)
  }
}

function askVenueRules(child: ChildProcess, watched: number): Promise<void> {
  return new Promise((resolve) => {
    child.once('message', () => resolve())
    child.send({ type: 'venue-rules', readers: READERS, watched })
  })
}

function askCounts(child: ChildProcess, since: number): Promise<StationCounts> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as StationCounts))
    child.send({ type: 'counts', since })
  })
}

interface StationFigures {
  sync: Measured<SyncFigures>
  access: Measured<TargetFigures & { decisions_stored: number; answered_2xx: number }>
  events: Measured<EventFigures>
  hanging: Measured<HangingFigures>
  venue: Measured<{ without: LoadResult; with: LoadResult; watched: number }>
  stall: Measured<SyncStallFigures>
  desk: Measured<DeskLoadFigures>
}

const DESK_LOAD = 'access-event p99 at 2,000 req/s while desks export the 1M-row log and 10 flood queries, vs quiet (same run)'

function deskRun(url: string, child: ChildProcess, ready: StationReady): Promise<Measured<DeskLoadFigures>> {
  return measure(DESK_LOAD, () => {
    if ('error' in ready.dashboard) throw new Error(`the dashboard server did not start: ${ready.dashboard.error}`)
    return benchDeskLoad(url, child, ready.dashboard, FIXED)
  })
}

function addDeskRow(
  add: (measure: string, figure: string, target: string, ok: boolean | null) => void,
  d: Measured<DeskLoadFigures>,
): void {
  if (!d.ok) return add(DESK_LOAD, `not measured (${d.reason.slice(0, 80)})`, '≤ 2 × quiet', null)
  const v = d.value
  const errors = Object.entries(v.flood_errors)
  // Held only if the desks were served too: a station that answered them nothing would pass for free.
  add(
    DESK_LOAD,
    `${ms(v.busy.latency.p99)} vs ${ms(v.quiet.latency.p99)} ms (${v.p99_ratio.toFixed(2)} ×) at ${fmt(v.busy.rps)} vs ${fmt(v.quiet.rps)} req/s; ${fmt(v.exported_rows)} rows exported (${v.exports_completed} whole), ${fmt(v.flood_answers)} query pages, ${fmt(v.flood_busy)} BUSY${errors.length ? `, errors: ${errors.map(([c, n]) => `${n} ${c}`).join(', ')}` : ''}`,
    '≤ 2 × quiet',
    v.p99_ratio <= 2 && v.busy.non2xx + v.busy.errors === 0 && v.exported_rows > 0 && v.flood_answers > 0,
  )
}

/** `BENCH_ONLY=desk-load npm run bench`: only the desk-load row (it seeds its own 1M-row log). */
async function deskLoadOnly(): Promise<void> {
  const { child, ready } = await startServer<StationReady>('station.ts', { GATEHOUSE_SECRET: SECRET })
  try {
    const url = `http://127.0.0.1:${ready.port}`
    await registerGateways(url)
    const d = await deskRun(url, child, ready)
    const rows: string[][] = []
    addDeskRow((m, f, t, ok) => void rows.push([m, f, t, ok === null ? '' : verdict(ok)]), d)
    process.stdout.write(`${table(['measure', 'figure', 'target', ''], rows)}\n`)
    writeFileSync(join(root, 'bench-desk-load.json'), `${JSON.stringify(d, null, 2)}\n`)
  } finally {
    await stopServer(child)
  }
}

async function stationRuns(): Promise<StationFigures> {
  const { child, ready } = await startServer<StationReady>('station.ts', { GATEHOUSE_SECRET: SECRET })
  const url = `http://127.0.0.1:${ready.port}`
  try {
    const sync = await measure('attendee-sync: 100,000 rows, created then all updated', () => seedAndTimeSync(url))
    await registerGateways(url)
    const access = await measure('station access-event: warm-up, saturation, then 2,000 req/s', async () => {
      let since = Date.now()
      const figures = await loadTarget(url, () => (since = Date.now()))
      const counts = await askCounts(child, since)
      // Every 2xx must be a stored decision. A few more may be stored: answers still in flight when a run ended.
      const answered = [figures.saturation, figures.fixed].reduce((n, r) => n + (r.statusCodes['200'] ?? 0), 0)
      return { ...figures, decisions_stored: counts.decisions, answered_2xx: answered }
    })
    const events = await measure('live events to a browser-mode dashboard client under load', () => {
      if ('error' in ready.dashboard) throw new Error(`the dashboard server did not start: ${ready.dashboard.error}`)
      return benchDashboardEvents(url, ready.dashboard, async (since) => (await askCounts(child, since)).decisions)
    })
    const hanging = await measure('access-event at 2,000 req/s while alerts change: no notification target, then one that hangs', () =>
      benchHangingTarget(url, child, FIXED),
    )
    const venue = await measure(
      'access-event at 2,000 req/s without venue rules, then with 4 zones, anti-passback and a 1,000-entry watch list',
      async () => {
        const without = await load({ url, ...FIXED })
        await askVenueRules(child, 1_000)
        await load({ url, ...WARMUP, rate: FIXED.rate })
        return { without, with: await load({ url, ...FIXED }), watched: 1_000 }
      },
    )
    const stall = await measure('scans every 10 ms while a 100,000-row attendee-sync is applied', () => benchSyncStall(url))
    // Last: it fills the log with 1M rows.
    const desk = await deskRun(url, child, ready)
    return { sync, access, events, hanging, venue, stall, desk }
  } finally {
    await stopServer(child)
  }
}

const ms = (v: number): string => (v < 10 ? v.toFixed(2) : v.toFixed(0))
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')
const verdict = (ok: boolean): string => (ok ? '✔ met' : '✖ missed')
const percentiles = (r: LoadResult): string => `${ms(r.latency.p50)} / ${ms(r.latency.p99)} / ${ms(r.latency.p99_9)} ms`

async function main(): Promise<void> {
  const started = Date.now()
  const loadBefore = loadavg()[0]!
  // Two cores shared with anything else running: the figures mean little on a busy machine.
  if (loadBefore > 1)
    step(`warning: the 1-minute load average is ${loadBefore.toFixed(2)} before starting; other work will skew the figures`)
  const http = await measure('bare node:http: warm-up, saturation, then 2,000 req/s', () => baseline('bare-http.ts'))
  const fastify = await measure('bare Fastify: warm-up, saturation, then 2,000 req/s', () => baseline('bare-fastify.ts'))
  const station = await stationRuns()
  const fastifyPinned = await measure('bare Fastify pinned (server core 0, load core 1)', () => baseline('bare-fastify.ts', true))
  const stationPinned = await measure('station access-event pinned (server core 0, load core 1)', () => pinnedStation())
  const log = await measure('log query: 1,000,000 rows inserted, then 8 filters timed', () => benchLogQuery())
  const floods = await measure('refusal floods (401, 403, 404) from one client: store growth', () => benchRefusalFloods())
  const cold = await measure('cold start: spawn `gatehouse station`, poll until the first 2xx', () => benchColdStart(root))

  const rows: string[][] = []
  const missing = (m: { ok: false; reason: string }): string => `not measured (${m.reason.slice(0, 80)})`
  const add = (measureName: string, figure: string, target: string, ok: boolean | null): void =>
    void rows.push([measureName, figure, target, ok === null ? '' : verdict(ok)])

  for (const [name, r] of [
    ['bare node:http', http],
    ['bare Fastify', fastify],
  ] as const) {
    if (!r.ok) add(`${name}: req/s at saturation`, missing(r), 'ceiling', null)
    else {
      add(`${name}: req/s at saturation`, fmt(r.value.saturation.rps), 'ceiling', null)
      add(`${name}: p50 / p99 / p99.9 at 2,000 req/s`, percentiles(r.value.fixed), 'reference', null)
    }
  }
  const a = station.access
  const fastifyRps = fastify.ok ? fastify.value.saturation.rps : null
  if (!a.ok) add('access-event: req/s at saturation', missing(a), '≥ 0.4 × bare Fastify', null)
  else {
    const ratio = fastifyRps ? a.value.saturation.rps / fastifyRps : null
    add(
      'access-event: req/s at saturation',
      `${fmt(a.value.saturation.rps)}${ratio === null ? '' : ` (${ratio.toFixed(2)} × Fastify)`}`,
      '≥ 0.4 × bare Fastify',
      ratio === null ? null : ratio >= 0.4,
    )
    add('access-event: p50 / p99 / p99.9 at 2,000 req/s', percentiles(a.value.fixed), 'p99 < 5 ms', a.value.fixed.latency.p99 < 5)
    const failed = a.value.saturation.non2xx + a.value.fixed.non2xx + a.value.saturation.errors + a.value.fixed.errors
    const stored = a.value.decisions_stored >= a.value.answered_2xx
    add(
      'access-event: failed answers; 2xx answers vs decisions stored',
      `${failed} failed; ${fmt(a.value.answered_2xx)} 2xx, ${fmt(a.value.decisions_stored)} stored`,
      'none failed, every 2xx stored',
      failed === 0 && stored,
    )
  }
  if (!stationPinned.ok || !fastifyPinned.ok)
    add(
      'access-event pinned: req/s at saturation',
      missing(!stationPinned.ok ? stationPinned : (fastifyPinned as { ok: false; reason: string })),
      '≥ 0.35 × bare Fastify pinned',
      null,
    )
  else {
    const ratio = stationPinned.value.saturation.rps / fastifyPinned.value.saturation.rps
    add(
      'access-event pinned (server and load generator on separate cores): req/s at saturation',
      `${fmt(stationPinned.value.saturation.rps)} vs ${fmt(fastifyPinned.value.saturation.rps)} bare Fastify (${ratio.toFixed(2)} ×)`,
      '≥ 0.35 × bare Fastify pinned',
      ratio >= 0.35,
    )
  }
  const v = station.venue
  if (!v.ok) add('access-event p99 with venue rules', missing(v), '≤ 1.1 × without', null)
  else {
    const ratio = v.value.with.latency.p99 / v.value.without.latency.p99
    add(
      `access-event p99 at 2,000 req/s with 4 zones, anti-passback and a ${fmt(v.value.watched)}-entry watch list vs without (same run)`,
      `${ms(v.value.with.latency.p99)} vs ${ms(v.value.without.latency.p99)} ms (${ratio.toFixed(2)} ×)`,
      '≤ 1.1 × without',
      ratio <= 1.1 && v.value.with.non2xx + v.value.with.errors === 0,
    )
  }
  const st = station.stall
  if (!st.ok) add('longest scan wait during a 100k-row sync', missing(st), '< 100 ms', null)
  else {
    add(
      `longest scan wait while a ${fmt(st.value.rows)}-row attendee-sync is applied (${st.value.scans_during_sync} scans, one every 10 ms)`,
      `${ms(st.value.longest_wait_during_sync_ms)} ms (quiet: ${ms(st.value.longest_wait_quiet_ms)} ms)`,
      '< 100 ms',
      st.value.longest_wait_during_sync_ms < 100 && st.value.sync_status === 200,
    )
    add(
      `that attendee-sync (${fmt(st.value.rows)} rows, every one changed), end to end`,
      `${fmt(st.value.sync_ms)} ms`,
      '< 1 s',
      st.value.sync_ms < 1000,
    )
  }
  const h = station.hanging
  if (!h.ok) add('access-event p99 with a hanging notification target', missing(h), '≤ 1.25 × without', null)
  else {
    const v = h.value
    add(
      `access-event p99 at 2,000 req/s, ${v.alert_changes_per_s} alert changes/s: a hanging notification target vs none (same run)`,
      `${ms(v.hanging.latency.p99)} vs ${ms(v.without.latency.p99)} ms (${v.p99_ratio.toFixed(2)} ×); ${v.target_requests_held} requests held by the target, ${v.stats.pending} waiting, ${v.stats.timed_out ? 'attempts timed out' : 'no attempt timed out yet'}`,
      '≤ 1.25 × without',
      v.p99_ratio <= 1.25 && v.hanging.non2xx + v.hanging.errors === 0,
    )
  }
  addDeskRow(add, station.desk)
  const s = station.sync
  if (!s.ok) add('attendee-sync 100k rows', missing(s), '< 2 s', null)
  else {
    add(
      `attendee-sync ${fmt(s.value.rows)} rows (${s.value.mb} MB), all created`,
      `${fmt(s.value.create_ms)} ms`,
      '< 2 s',
      s.value.create_ms < 2000,
    )
    add(`attendee-sync ${fmt(s.value.rows)} rows, all updated`, `${fmt(s.value.update_ms)} ms`, '< 2 s', s.value.update_ms < 2000)
  }
  if (!log.ok) add('log page on 1M rows', missing(log), '< 20 ms', null)
  else {
    const worst = log.value.queries.reduce((w, q) => (q.median_ms > w.median_ms ? q : w))
    add(
      `log page (50) on ${fmt(log.value.rows)} rows: slowest of ${log.value.queries.length} filters`,
      `${ms(worst.median_ms)} ms median (${worst.name}; first run ${ms(worst.first_ms)} ms)`,
      '< 20 ms',
      worst.median_ms < 20,
    )
  }
  const e = station.events
  if (!e.ok) add('live events to a dashboard client', missing(e), '≥ 2,000 events/s', null)
  else {
    const complete = e.value.decided_received === e.value.decided_at_station
    add(
      'live events to a dashboard client',
      `${fmt(e.value.events_per_s)} events/s (${fmt(e.value.decided_per_s)} decisions/s, ${complete ? 'none lost' : `${e.value.decided_at_station - e.value.decided_received} decisions missing`})`,
      '≥ 2,000 events/s',
      e.value.events_per_s >= 2000 && complete,
    )
  }
  if (!floods.ok) add('store growth under a refusal flood', missing(floods), '≤ 1 MB/s', null)
  else
    for (const f of floods.value)
      add(
        `store growth under a ${f.kind} flood from one client (${fmt(f.rps)} req/s for ${f.seconds} s)`,
        `${f.mb_per_s.toFixed(3)} MB/s (${fmt(f.grew_bytes / 1000)} kB)`,
        '≤ 1 MB/s',
        f.mb_per_s <= 1,
      )
  if (!cold.ok) add('cold start to first 2xx', missing(cold), '< 1 s', null)
  else
    for (const c of cold.value)
      add(`cold start to first 2xx, ${c.how}`, `${fmt(c.median_ms)} ms median of ${c.runs_ms.join(', ')}`, '< 1 s', c.median_ms < 1000)

  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: round(totalmem() / 2 ** 30, 1),
    os: `${process.platform} ${release()}`,
    node: process.version,
    load_average_before: round(loadBefore),
    load_average_after: round(loadavg()[0]!),
  }
  const header =
    `Gatehouse bench, ${new Date(started).toISOString()} — ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, ${machine.os}, Node ${machine.node}; ` +
    `load average ${machine.load_average_before} before, ${machine.load_average_after} after`
  const text = `${header}\n\n${table(['measure', 'figure', 'target', ''], rows)}\n\n(${round((Date.now() - started) / 1000, 0)} s; loopback; load: autocannon, ${SATURATION.connections} connections at saturation, ${FIXED.connections} at a fixed ${fmt(FIXED.rate)} req/s; p-values from every response, in ms)`
  process.stdout.write(`${text}\n`)

  const results = {
    date: new Date(started).toISOString(),
    machine,
    settings: { saturation: SATURATION, fixed_rate: FIXED, warmup: WARMUP },
    bare_http: http,
    bare_fastify: fastify,
    station_access_event: a,
    attendee_sync: s,
    log_query: log,
    dashboard_events: e,
    refusal_floods: floods,
    notify_hanging_target: h,
    bare_fastify_pinned: fastifyPinned,
    station_access_event_pinned: stationPinned,
    venue_rules: station.venue,
    sync_stall: station.stall,
    desk_load: station.desk,
    cold_start: cold,
    table: rows.map(([measureName, figure, target, met]) => ({
      measure: measureName,
      figure,
      target,
      met: met === '' ? null : met!.startsWith('✔'),
    })),
    duration_s: round((Date.now() - started) / 1000, 1),
  }
  writeFileSync(join(root, 'bench-results.json'), `${JSON.stringify(results, null, 2)}\n`)
  step(`wrote ${join(root, 'bench-results.json')}`)
}

await (process.env.BENCH_ONLY === 'desk-load' ? deskLoadOnly() : main())
