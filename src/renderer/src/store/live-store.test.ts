// The live store against a real station in browser mode: the dashboard's WebSocket, the desk's own
// WebSocket client, real scans and refusals over HTTP. The dashboard holds its event batches back
// (1.5 s) so that events committed before a snapshot reach the store after it, as they can in use.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openAccessStation, type AccessStation } from '../../../main/test-support/access-station'
import { eventually } from '../../../main/test-support/station'
import { createDeskCommands } from '../../../main/station/desk/commands'
import { startDashboard, type Dashboard } from '../../../main/station/desk/dashboard-server'
import type { DeskEventBatch } from '../../../shared/contract'
import { deskCall } from '../api/desk-call'
import { createWsApi, type SocketLike, type WsDeskApi } from '../api/ws-client'
import { createLiveStore, type LiveStore } from './live-store'

const TOKEN = 'a-test-token-of-32-characters-ok'
const HELD_MS = 1500

let s: AccessStation
let rendererDir: string
let dashboard: Dashboard
let port = 0
let api: WsDeskApi
let store: LiveStore
let stop: () => void
let batches: DeskEventBatch[]

async function startDesk(): Promise<void> {
  dashboard = await startDashboard({
    hub: s.station.hub,
    commands: createDeskCommands({ station: s.station, receiverUrls: () => [] }),
    station: s.station,
    host: '127.0.0.1',
    port,
    rendererDir,
    token: TOKEN,
    flushIntervalMs: HELD_MS,
  })
  port = Number(new URL(dashboard.url).port)
}

beforeEach(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'gatehouse-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Gatehouse</title>')
  s = await openAccessStation({ refusalLog: { singlesPerMinute: 0, flushMs: 50 } })
  port = 0
  await startDesk()
  api = createWsApi({
    base: { protocol: 'http:', host: `127.0.0.1:${port}` },
    // A script holds the token itself (the page trades it for a cookie, which `ws` does not keep).
    open: (url) => {
      const socket = new WebSocket(`${url}?token=${TOKEN}`)
      socket.on('error', () => undefined) // a refused connection is followed by its close
      return socket as unknown as SocketLike
    },
  })
  batches = []
  store = createLiveStore({ api, connection: { isConnected: api.isConnected, subscribe: api.onStatus }, resyncMs: 3_600_000 })
  stop = store.start()
  // Registered after the store's: when a batch reaches this, the store has applied it.
  api.subscribe((batch) => batches.push(batch))
  await eventually(() => store.getState() ?? undefined)
})

afterEach(async () => {
  stop()
  api.close()
  await dashboard.close()
  await s.close()
  rmSync(rendererDir, { recursive: true, force: true })
})

let credential = 0
const scan = async (): Promise<number> =>
  (
    await s.send('access-event', {
      reader_id: 'R-1',
      credential_value: `UNKNOWN-${++credential}`,
      scan_type: 'qr',
      timestamp: new Date().toISOString(),
    })
  ).status
const refuse = (): Promise<unknown> =>
  s.send('access-event', { reader_id: 'R-1', credential_value: 'X', timestamp: new Date().toISOString() }, { signature: 'sha256=00' })

const delivered = (match: (e: DeskEventBatch[number]) => boolean): Promise<true> =>
  eventually(() => batches.some((b) => b.some(match)), 10_000)
const decidedId = (e: DeskEventBatch[number]): number => (e.event === 'access:decided' ? e.payload.id : 0)

/** The figures of a fresh snapshot, as the store shows them. */
async function truth(): Promise<{ denials: number; byStatus: Array<{ status: number; count: number }> }> {
  const o = await deskCall(api)('overview:get', {})
  return { denials: o.counters.denials_today, byStatus: [...o.requests_by_status].sort((a, b) => a.status - b.status) }
}
const shown = (): { denials: number; byStatus: Array<{ status: number; count: number }> } => ({
  denials: store.getState()!.counters.denials_today,
  byStatus: store.getState()!.requestsByStatus,
})

describe('the live store over a real station', () => {
  it('counts a snapshot and the events after its watermark once, and the events before it not again', async () => {
    expect(shown().denials).toBe(0)
    // Committed (the 200s are sent after the commit), their events still held by the dashboard.
    for (let i = 0; i < 3; i++) expect(await scan()).toBe(200)
    await store.resync()
    expect(shown().denials).toBe(3)
    const newest = s.station.access.decisions.recent(0, 1)[0]!.id
    await delivered((e) => decidedId(e) === newest)
    expect(shown()).toEqual({ denials: 3, byStatus: [{ status: 200, count: 3 }] })

    // After the watermark: counted from their events.
    for (let i = 0; i < 2; i++) expect(await scan()).toBe(200)
    await delivered((e) => decidedId(e) === newest + 2)
    expect(shown()).toEqual({ denials: 5, byStatus: [{ status: 200, count: 5 }] })
    expect(shown()).toEqual(await truth())
  })

  it('counts an aggregate of refusals that grew before the snapshot once, and its growth after it', async () => {
    // Refusals are folded into one entry per minute whose count is rewritten (a minute may turn
    // during the test: then there are two entries, each pushed with its own counts).
    const stored = (): number => s.station.log.query({ status: 401 }).reduce((n, r) => n + (r.count ?? 1), 0)
    const allPushed = (): boolean =>
      s.station.log
        .query({ status: 401 })
        .every((r) => batches.some((b) => b.some((e) => e.event === 'log:entry' && e.payload.id === r.id && e.payload.count === r.count)))
    await refuse()
    await eventually(() => shown().byStatus.some((b) => b.status === 401))
    // The aggregate grows to 5 and is rewritten; its push of 5 is held back past the snapshot.
    for (let i = 0; i < 4; i++) await refuse()
    await eventually(() => stored() === 5)
    await store.resync()
    await eventually(allPushed)
    expect(shown().byStatus).toEqual([{ status: 401, count: 5 }])

    for (let i = 0; i < 3; i++) await refuse()
    await eventually(() => stored() === 8)
    await eventually(allPushed)
    expect(shown().byStatus).toEqual([{ status: 401, count: 8 }])
    expect(shown()).toEqual(await truth())
  })

  it('marks itself stale when the station is lost, and is fresh again, missing nothing, once back', async () => {
    expect(await scan()).toBe(200)
    await delivered((e) => e.event === 'access:decided')
    expect(store.staleSince()).toBeNull()

    const before = Date.now()
    await dashboard.close()
    const since = await eventually(() => store.staleSince() ?? undefined)
    expect(since).toBeGreaterThanOrEqual(before)
    // Decided while the desk was away: no event of theirs ever reaches it.
    for (let i = 0; i < 2; i++) expect(await scan()).toBe(200)
    expect(shown().denials).toBe(1)

    await startDesk()
    await eventually(() => store.staleSince() === null)
    expect(shown()).toEqual({ denials: 3, byStatus: [{ status: 200, count: 3 }] })
    expect(shown()).toEqual(await truth())
  })
})
