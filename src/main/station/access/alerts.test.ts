// Alerts: acknowledged by a named operator; bursts of invalid signatures or refused sources, one
// alert per endpoint however many addresses; and a store failure, produced for real (another connection holding the write
// lock), that never grants a scan, raises a critical alert and is recorded resolved once it clears.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { DB_FILE, openCore } from '../station'
import { eventually } from '../../test-support/station'
import type { AlertView } from '../../../shared/domain'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'

let s: AccessStation
beforeEach(async () => {
  s = await openAccessStation()
})
afterEach(async () => {
  await s?.close()
})

const alerts = () => s.station.access.alerts
const hubAlerts = (kind: AlertView['kind']) => s.seen('alert:changed').filter((a) => a.kind === kind)
const BAD_SIGNATURE = `sha256=${'ab'.repeat(32)}`

describe('acknowledging an alert', () => {
  it('records the operator and time; a second acknowledgement changes nothing', async () => {
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'offline', timestamp: at(0) })
    const [open] = alerts().open()
    expect(open).toMatchObject({ kind: 'gateway_offline', acknowledged_at: null, acknowledged_by: null })
    const acked = await s.station.queue.enqueue(() =>
      alerts().acknowledge(open!.id, 'Dana at the desk', { note: 'Calling the gate supervisor' }),
    )
    expect(acked).toMatchObject({
      id: open!.id,
      acknowledged_by: 'Dana at the desk',
      acknowledged_at: expect.any(String),
      resolved_at: null,
    })
    await expect(s.station.queue.enqueue(() => alerts().acknowledge(open!.id, 'Eve', { note: 'me too' }))).rejects.toThrow(
      /already acknowledged by Dana at the desk/,
    )
    expect(alerts().get(open!.id)!.acknowledged_by).toBe('Dana at the desk')
    // Acknowledged is not resolved: it stays open until the cause clears.
    expect(alerts().open()).toHaveLength(1)
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'online', timestamp: at(1) })
    expect(alerts().open()).toEqual([])
    expect(alerts().get(open!.id)).toMatchObject({ acknowledged_by: 'Dana at the desk', resolved_at: expect.any(String) })
  })
})

describe('acknowledged from another process', () => {
  it("reaches the running station's hub (and so the desk) within a second", async () => {
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-2', status: 'offline', timestamp: at(0) })
    const [open] = alerts().open()
    const cli = openCore({ dataDir: s.dataDir })
    try {
      await cli.queue.enqueue(() => cli.access.alerts.acknowledge(open!.id, 'Sam on the CLI', { note: 'on my way' }))
    } finally {
      cli.close()
    }
    await eventually(() => hubAlerts('gateway_offline').some((a) => a.id === open!.id && a.acknowledged_by === 'Sam on the CLI'), 10_000)
    // Told once, not at every later change of the store.
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-3', status: 'online', timestamp: at(1) })
    await new Promise((r) => setTimeout(r, 700))
    expect(hubAlerts('gateway_offline').filter((a) => a.acknowledged_by === 'Sam on the CLI')).toHaveLength(1)
  })
})

describe('bursts', () => {
  const STATUS_PATH = '/webhook/v1/mqtt-gateway-status'
  const body = { gateway_id: 'GW-1', status: 'online' }
  const badSignature = (from: string, endpoint: 'mqtt-gateway-status' | 'access-event' = 'mqtt-gateway-status') =>
    s.send(endpoint, endpoint === 'access-event' ? { reader_id: 'R', credential_value: 'C' } : body, {
      remoteAddress: from,
      signature: BAD_SIGNATURE,
    })

  it('bad signatures from 200 addresses open one signature_burst alert for the endpoint, its count and top sources kept up to date', async () => {
    for (let i = 0; i < 9; i++) expect((await badSignature(`198.51.100.${i}`)).status).toBe(401)
    await new Promise((r) => setTimeout(r, 50))
    expect(alerts().recent()).toEqual([])
    // The tenth within a minute on this endpoint, whoever sends it, starts the burst.
    expect((await badSignature('203.0.113.1')).status).toBe(401)
    const [raised] = await eventually(() => alerts().open().length > 0 && alerts().open())
    expect(raised).toMatchObject({
      kind: 'signature_burst',
      subject: STATUS_PATH,
      severity: 'warning',
      resolved_at: null,
      count: 10,
    })
    expect(raised!.top_sources).toHaveLength(5)

    // 200 more addresses, 10 bad signatures each (and the refusal budget of none of them spent).
    // (Each address's ten at once: their log entries share commits.)
    for (let a = 0; a < 200; a++) {
      const from = `10.0.${a >> 8}.${a & 255}`
      await Promise.all(Array.from({ length: 10 }, () => badSignature(from)))
    }
    // One more from the busiest address, so the top of the list is known.
    for (let i = 0; i < 15; i++) await badSignature('203.0.113.1')
    await s.station.access.sweep()
    expect(alerts().open()).toHaveLength(1)
    const summed = alerts().get(raised!.id)!
    expect(summed.count).toBe(10 + 2000 + 15)
    expect(summed.top_sources![0]).toEqual({ address: '203.0.113.1', count: 16 })
    expect(summed.top_sources).toHaveLength(5)
    expect(summed.message).toMatch(
      /^2025 requests with an invalid signature on \/webhook\/v1\/mqtt-gateway-status since .* from 210 addresses; most from 203\.0\.113\.1 \(16\)/,
    )
    // The desk heard of the alert when it opened and of each update since, always the same alert.
    const pushed = hubAlerts('signature_burst')
    expect(pushed.length).toBeGreaterThanOrEqual(2)
    expect(new Set(pushed.map((a) => a.id))).toEqual(new Set([raised!.id]))
    expect(pushed.at(-1)).toMatchObject({ count: 2025 })

    // Another endpoint is another burst, with its own alert.
    for (let i = 0; i < 10; i++) await badSignature(`192.0.2.${i}`, 'access-event')
    await eventually(() => alerts().open().length === 2)
    expect(alerts().openOf('signature_burst', '/webhook/v1/access-event')).toMatchObject({ count: 10 })

    // Quiet for five minutes: the bursts are over and their alerts resolve, with their final count.
    await s.station.access.sweep(Date.now() + 6 * 60_000)
    expect(alerts().get(raised!.id)).toMatchObject({ count: 2025, resolved_at: expect.any(String) })
    expect(alerts().open()).toEqual([])
  })

  it('10 requests from addresses not on the allowlist raise one refused_source_burst for the endpoint', async () => {
    await s.station.queue.enqueue(() => s.station.allowlist.add('access-event', '192.0.2.1'))
    s.station.reloadAllowlist()
    for (let i = 0; i < 10; i++) {
      const from = `198.51.100.${70 + (i % 3)}`
      expect((await s.send('access-event', { reader_id: 'R', credential_value: 'C' }, { remoteAddress: from })).status).toBe(403)
    }
    const [raised] = await eventually(() => alerts().open().length > 0 && alerts().open())
    expect(raised).toMatchObject({ kind: 'refused_source_burst', subject: '/webhook/v1/access-event', count: 10 })
    expect(raised!.top_sources).toEqual([
      { address: '198.51.100.70', count: 4 },
      { address: '198.51.100.71', count: 3 },
      { address: '198.51.100.72', count: 3 },
    ])
    expect(raised!.message).toContain('refused by the allowlist')
  })
})

describe('a store failure', () => {
  it('never grants: 503 with a JSON body, a store_failure alert; after the lock is released the scan is granted and the alert recorded resolved', async () => {
    await s.send(
      'attendee-sync',
      syncBody('upsert', [{ external_id: 'E-1', first_name: 'Jane', last_name: 'Smith', credential_value: 'GUEST-1' }]),
    )
    const scan = (seconds: number) => s.send('access-event', { reader_id: 'R-1', credential_value: 'GUEST-1', timestamp: at(seconds) })
    expect((await scan(1)).json.access_granted).toBe(true)
    const decisions = () => s.station.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }

    // Another connection takes the write lock; the station's writes wait for it (a few retries,
    // ~40 ms, off the event loop) and then fail.
    const other = new Database(join(s.dataDir, DB_FILE))
    other.exec('BEGIN EXCLUSIVE')
    let released = false
    try {
      for (const seconds of [2, 3]) {
        const refused = await scan(seconds)
        expect(refused.status).toBe(503)
        expect(refused.json).toMatchObject({ error: 'Service Unavailable', message: expect.any(String) })
        expect(refused.json.access_granted).toBeUndefined()
        expect(JSON.stringify(refused.json)).not.toMatch(/SQLITE|busy|locked/i)
      }
      expect(s.seen('access:decided')).toHaveLength(1)
      const [raised] = hubAlerts('store_failure')
      expect(raised).toMatchObject({ kind: 'store_failure', severity: 'critical', subject: 'store', resolved_at: null })
      expect(hubAlerts('store_failure')).toHaveLength(1)
      expect(s.station.access.storeFault()).not.toBeNull()
      other.exec('ROLLBACK')
      released = true
    } finally {
      if (!released) other.exec('ROLLBACK')
      other.close()
    }

    expect(decisions().n).toBe(1)
    // The same scan retried by the gateway is decided now (the refused attempt left nothing).
    const again = await scan(2)
    expect(again).toMatchObject({ status: 200, json: { access_granted: true, reason: 'granted' } })
    const recorded = await eventually(() =>
      alerts()
        .recent()
        .find((a) => a.kind === 'store_failure'),
    )
    expect(recorded).toMatchObject({ severity: 'critical', resolved_at: expect.any(String) })
    expect(Date.parse(recorded.resolved_at!)).toBeGreaterThanOrEqual(Date.parse(recorded.raised_at))
    expect(hubAlerts('store_failure').at(-1)).toMatchObject({ id: recorded.id, resolved_at: recorded.resolved_at })
    expect(s.station.access.storeFault()).toBeNull()
    expect(alerts().open()).toEqual([])
  })
})
