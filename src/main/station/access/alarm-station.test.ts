// The alarm kinds and fault alerts on a real station over real sockets: a store fault raised while
// another process holds the lock is a real alert with a real id on the desk (hub and snapshot), is
// acknowledged there, survives a resync, and is in the store under that id once the lock clears;
// rejections_burst and reader_silent fire and resolve.
import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { DB_FILE } from '../station'
import { createDeskCommands, runDeskCommand } from '../desk/commands'
import { eventually, post, signGxp } from '../../test-support/station'
import { at, openAccessStation, type AccessStation } from '../../test-support/access-station'
import type { Result, Overview } from '../../../shared/contract'
import type { AlertView } from '../../../shared/domain'
import type { AlertNoteView } from '../../../shared/alerts'

const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3')
let s: AccessStation | undefined
afterEach(async () => {
  await s?.close()
  s = undefined
})

function desk(station: AccessStation['station']) {
  const commands = createDeskCommands({ station, receiverUrls: () => [] })
  return async <T>(name: string, input: unknown): Promise<Result<T>> => (await runDeskCommand(commands, name, input)) as Result<T>
}
const value = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

function locker(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require(${JSON.stringify(betterSqlite)}); const db = new Database(${JSON.stringify(join(dataDir, DB_FILE))});
       db.exec('BEGIN EXCLUSIVE'); console.log('locked');
       process.stdin.on('data', () => { db.exec('COMMIT'); db.close(); process.exit(0) })`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child))
    child.once('exit', (c) => reject(new Error(`locker exited with ${c}`)))
  })
}

describe('a store fault while another process holds the lock', () => {
  it('is a real alert on the desk (hub and snapshot), acknowledged there, and in the store under the same id once the lock clears', async () => {
    s = await openAccessStation()
    const call = desk(s.station)
    // An alert before the fault: the fault's id comes after it.
    await s.send('mqtt-gateway-status', {
      gateway_id: 'GW-1',
      status: 'online',
      readers: [{ reader_id: 'R-1', status: 'error' }],
      timestamp: at(0),
    })
    const before = s.station.access.alerts.open()[0]!
    const lock = await locker(s.dataDir)
    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: at(1) })).status).toBe(503)

    const pushed = s.seen('alert:changed').find((a) => a.kind === 'store_failure')!
    expect(pushed).toMatchObject({ priority: 1, state: 'open', severity: 'critical', resolved_at: null })
    expect(pushed.id).toBe(before.id + 1)
    // A resync (the desk reloading its snapshot) still has it, under the same id.
    const snapshot = value(await call<Overview>('overview:get', {}))
    expect(snapshot.open_alerts.find((a) => a.kind === 'store_failure')).toMatchObject({ id: pushed.id, state: 'open' })
    expect(value(await call<AlertView[]>('alerts:list', { include_resolved: true })).map((a) => a.id)).toContain(pushed.id)
    // Worked while the store is locked: acknowledged (priority 1: with a note), noted; other steps wait.
    expect(await call('alerts:acknowledge', { id: pushed.id, by: 'Dana' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    const acked = value(await call<AlertView>('alerts:acknowledge', { id: pushed.id, by: 'Dana', note: 'Asked IT who holds the database' }))
    expect(acked).toMatchObject({ id: pushed.id, state: 'acknowledged', acknowledged_by: 'Dana' })
    expect(await call('alerts:snooze', { id: pushed.id, by: 'Dana', minutes: 5 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const again = value(await call<Overview>('overview:get', {}))
    expect(again.open_alerts.find((a) => a.id === pushed.id)).toMatchObject({ acknowledged_by: 'Dana' })

    lock.stdin!.end('go\n')
    await new Promise((r) => lock.once('exit', r))
    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: at(2) })).status).toBe(200)
    const stored = await eventually(() => s!.station.access.alerts.get(pushed.id))
    expect(stored).toMatchObject({ kind: 'store_failure', acknowledged_by: 'Dana', state: 'resolved', resolved_by: 'station' })
    expect(stored.resolved_at).not.toBeNull()
    const notes = value(await call<AlertNoteView[]>('alerts:history', { id: pushed.id }))
    expect(notes.map((n) => [n.action, n.by, n.note])).toEqual([
      ['raised', 'station', null],
      ['acknowledged', 'Dana', 'Asked IT who holds the database'],
      ['resolved', 'station', null],
    ])
    // Once written, the desk is told the stored alert (same id); nothing is held any more.
    expect(s.station.access.faults.views()).toEqual([])
    expect(
      s
        .seen('alert:changed')
        .filter((a) => a.id === pushed.id)
        .at(-1),
    ).toEqual(stored)
    expect(s.station.access.alerts.recent().filter((a) => a.kind === 'store_failure')).toHaveLength(1)
  })
})

describe('rejections_burst', () => {
  it('fires for 400s and 413s from one source past the threshold, with the top errors, not for bad signatures, and resolves when quiet', async () => {
    s = await openAccessStation({ config: { rejectionsBurstThreshold: 5, rateLimitPerMinute: 0 } })
    const { url } = { url: `http://127.0.0.1:${s.station.bound().http!.port}` }
    const key = s.station.secrets.info('access-event').secret
    const bad = '{"reader_id": 5}'
    // Bad signatures are signature_burst's, not this one's.
    for (let i = 0; i < 6; i++) {
      expect((await post(url, '/webhook/v1/access-event', bad, { 'x-gxp-signature': `sha256=${'00'.repeat(32)}` })).status).toBe(401)
    }
    await new Promise((r) => setTimeout(r, 50))
    expect(s.station.access.alerts.openOf('rejections_burst', '127.0.0.1')).toBeUndefined()
    for (let i = 0; i < 4; i++)
      expect((await post(url, '/webhook/v1/access-event', bad, { 'x-gxp-signature': signGxp(key, bad) })).status).toBe(400)
    expect(
      (await post(url, '/webhook/v1/access-event', bad, { 'x-gxp-signature': signGxp(key, bad), 'content-type': 'text/plain' })).status,
    ).toBe(415)
    const raised = await eventually(() => s!.station.access.alerts.openOf('rejections_burst', '127.0.0.1'))
    expect(raised).toMatchObject({ priority: 3, state: 'open', count: 5 })
    expect(raised.top_errors![0]).toMatchObject({ count: 4, error: expect.stringMatching(/^400 \/webhook\/v1\/access-event/) })
    expect(raised.top_errors!.map((e) => e.error.slice(0, 3)).sort()).toEqual(['400', '415'])
    expect(raised.message).toMatch(/5 requests from 127\.0\.0\.1 refused/)

    await s.station.access.sweep(Date.now() + 6 * 60_000)
    expect(s.station.access.alerts.get(raised.id)).toMatchObject({ state: 'resolved', resolved_by: 'station' })
  })
})

describe('reader_silent', () => {
  it('fires for a reader reported connected that has been quiet past the limit while its gateway is online, and resolves at its next scan', async () => {
    s = await openAccessStation({ config: { readerSilentSeconds: 30 } })
    const status = (readers: unknown[], t: number) =>
      s!.send('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'online', readers, timestamp: at(t) })
    expect(
      (
        await status(
          [
            { reader_id: 'R-1', status: 'connected' },
            { reader_id: 'R-2', status: 'disconnected' },
          ],
          0,
        )
      ).status,
    ).toBe(200)
    await s.station.access.sweep(Date.now() + 20_000)
    expect(s.station.access.alerts.openOf('reader_silent', 'R-1')).toBeUndefined()
    // 40 s later the gateway (timeout 90 s) is still online; R-1 said nothing since; R-2 is not connected.
    await s.station.access.sweep(Date.now() + 40_000)
    const raised = s.station.access.alerts.openOf('reader_silent', 'R-1')
    expect(raised).toMatchObject({ kind: 'reader_silent', priority: 3, state: 'open' })
    expect(raised!.message).toMatch(/Reader R-1 \(gateway GW-1, online\)/)
    expect(s.station.access.alerts.openOf('reader_silent', 'R-2')).toBeUndefined()
    expect(s.seen('alert:changed').some((a) => a.id === raised!.id)).toBe(true)

    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: at(41) })).status).toBe(200)
    await s.station.access.sweep(Date.now())
    expect(s.station.access.alerts.get(raised!.id)).toMatchObject({ state: 'resolved', resolved_by: 'station' })
  })

  it('does not fire while the gateway itself is offline (gateway_offline says it)', async () => {
    s = await openAccessStation({ config: { readerSilentSeconds: 30, gatewayTimeoutSeconds: 60 } })
    await s.send('mqtt-gateway-status', {
      gateway_id: 'GW-1',
      status: 'online',
      readers: [{ reader_id: 'R-1', status: 'connected' }],
      timestamp: at(0),
    })
    await s.station.access.sweep(Date.now() + 120_000)
    expect(s.station.access.alerts.openOf('reader_silent', 'R-1')).toBeUndefined()
    expect(s.station.access.alerts.openOf('gateway_offline', 'GW-1')).toBeDefined()
  })
})

describe('an alert resolved by hand while its cause is still there', () => {
  it('comes back at the next check (gateway_offline resolved on the desk, reader_silent in the store), reopened with one more occurrence', async () => {
    s = await openAccessStation({ config: { readerSilentSeconds: 30, gatewayTimeoutSeconds: 60 } })
    const call = desk(s.station)
    const report = (gateway: string, readers: unknown[]) =>
      s!.send('mqtt-gateway-status', { gateway_id: gateway, status: 'online', readers, timestamp: at(0) })
    expect((await report('GW-1', [])).status).toBe(200)
    expect((await report('GW-2', [{ reader_id: 'R-9', status: 'connected' }])).status).toBe(200)
    // GW-1 falls silent; GW-2 keeps reporting while its reader R-9 says nothing.
    await s.station.access.sweep(Date.now() + 120_000)
    const offline = s.station.access.alerts.openOf('gateway_offline', 'GW-1')!
    expect(offline).toBeDefined()
    value(await call('alerts:resolve', { id: offline.id, by: 'Night desk', note: 'looks fine to me' }))
    expect(s.station.access.alerts.get(offline.id)).toMatchObject({ state: 'resolved' })
    await s.station.access.sweep(Date.now() + 121_000)
    expect(s.station.access.alerts.openOf('gateway_offline', 'GW-1')).toMatchObject({ id: offline.id, state: 'open', occurrences: 2 })

    expect((await s.send('mqtt-gateway-status', { gateway_id: 'GW-2', status: 'online', timestamp: at(100) })).status).toBe(200)
    await s.station.access.sweep(Date.now() + 40_000)
    const silent = s.station.access.alerts.openOf('reader_silent', 'R-9')!
    expect(silent).toBeDefined()
    // Resolved straight in the store, as `gatehouse alerts` in another process does: the station's
    // detectors check their memory against the store, not against the desk's own steps.
    await s.station.queue.enqueue(() => s!.station.access.alerts.resolveById(silent.id, 'CLI desk'))
    await s.station.access.sweep(Date.now() + 41_000)
    expect(s.station.access.alerts.openOf('reader_silent', 'R-9')).toMatchObject({ id: silent.id, state: 'open', occurrences: 2 })
  })

  it('comes back at the next event from a clock still wrong (clock_skew)', async () => {
    s = await openAccessStation()
    const ahead = (seconds: number) => new Date(Date.now() + 3_600_000 + seconds * 1000).toISOString()
    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: ahead(0) })).status).toBe(200)
    const skew = s.station.access.alerts.openOf('clock_skew', 'Reader R-1')!
    expect(skew).toBeDefined()
    await s.station.queue.enqueue(() => s!.station.access.alerts.resolveById(skew.id, 'CLI desk'))
    expect(s.station.access.alerts.openOf('clock_skew', 'Reader R-1')).toBeUndefined()
    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: ahead(1) })).status).toBe(200)
    expect(s.station.access.alerts.openOf('clock_skew', 'Reader R-1')).toMatchObject({ id: skew.id, state: 'open', occurrences: 2 })
  })
})
