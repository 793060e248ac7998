// The station under test, in its own process: a throwaway data directory, no rate limit, the
// secret from GATEHOUSE_SECRET, and the browser-mode dashboard (WebSocket) beside it as
// `gatehouse station` runs it. Talks to the bench over the IPC channel.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createStation } from '../../src/main/station/station'

export interface StationReady {
  port: number
  dataDir: string
  dashboard: { port: number } | { error: string }
}
export type StationRequest =
  | { type: 'counts'; since: number }
  | { type: 'notify-add'; url: string }
  | { type: 'notify-stats' }
  | { type: 'venue-rules'; readers: string[]; watched: number }
export interface NotifyStats {
  type: 'notify-stats'
  targets: number
  pending: number
  attempts: number
  timed_out: boolean
  last_error: string | null
}
export interface StationCounts {
  type: 'counts'
  decisions: number
  log: number
}

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-station-'))
// A short attempt deadline: a hanging notification target times out and is retried during a bench run.
const station = await createStation({ dataDir, env: process.env, config: { rateLimitPerMinute: 0 }, notify: { timeoutMs: 2_000 } })
const { port } = await station.listen('127.0.0.1', 0)

let dashboard: StationReady['dashboard']
let closeDashboard = async (): Promise<void> => undefined
try {
  // Loaded on demand so the rest of the bench runs whatever state the dashboard is in.
  const { startDashboard } = await import('../../src/main/station/desk/dashboard-server')
  const { createDeskCommands } = await import('../../src/main/station/desk/commands')
  // The bench measures the WebSocket, not the static files: a stub page keeps it independent of a build.
  const rendererDir = join(dataDir, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>')
  const d = await startDashboard({
    hub: station.hub,
    commands: createDeskCommands({ station, receiverUrls: () => [`http://127.0.0.1:${port}`] }),
    host: '127.0.0.1',
    port: 0,
    rendererDir,
  })
  dashboard = { port: (d.app.server.address() as AddressInfo).port }
  closeDashboard = () => d.close()
} catch (err) {
  dashboard = { error: err instanceof Error ? err.message : String(err) }
}

process.on('message', (msg: StationRequest) => {
  if (msg.type === 'notify-add') {
    void station.notify
      .add({ name: `bench-${Date.now()}`, url: msg.url, min_priority: 5 })
      .then((t) => process.send?.({ type: 'notify-add', id: t.id }))
    return
  }
  if (msg.type === 'venue-rules') {
    // Four zones with anti-passback, each reader in one (the last of every five an exit), and a
    // watch list of `watched` credentials, a tenth of them badges the load scans.
    void (async () => {
      const zones = ['Hall A', 'Hall B', 'Hall C', 'Hall D']
      for (const zone of zones) await station.venue.configureZone(zone, { capacity: 1_000_000, anti_passback: true })
      for (const [i, reader] of msg.readers.entries())
        await station.venue.placeReader(reader, { zone: zones[i % zones.length]!, direction: i % 5 === 4 ? 'exit' : 'entry' })
      for (let i = 0; i < msg.watched; i++) {
        const credential = i % 10 === 0 ? `BADGE-${String(i * 97 + 1).padStart(6, '0')}` : `WATCHED-${i}`
        await station.venue.watch({ credential }, i % 20 === 0 ? 'blocked' : 'vip', 'bench', null, 'bench')
      }
      process.send?.({ type: 'venue-rules', ok: true })
    })()
    return
  }
  if (msg.type === 'notify-stats') {
    const list = station.notify.list()
    const attempts = station.db.prepare<[], { n: number | null }>('SELECT sum(attempts) AS n FROM notify_outbox').get()!.n ?? 0
    process.send?.({
      type: 'notify-stats',
      targets: list.length,
      pending: list.reduce((n, t) => n + t.pending, 0),
      attempts,
      timed_out: list.some((t) => t.last_error?.startsWith('no answer within') ?? false),
      last_error: list[0]?.last_error ?? null,
    } satisfies NotifyStats)
    return
  }
  const decisions = station.db
    .prepare<[number], { n: number }>('SELECT count(*) AS n FROM decisions WHERE decided_at >= ?')
    .get(msg.since)!.n
  const log = station.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM webhook_log WHERE received_at >= ?').get(msg.since)!.n
  process.send?.({ type: 'counts', decisions, log } satisfies StationCounts)
})
process.on('disconnect', () => {
  void Promise.all([closeDashboard(), station.close()]).finally(() => {
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(0)
  })
})
process.send?.({ port, dataDir, dashboard } satisfies StationReady)
