// Alerts: acknowledged by a named operator; bursts of invalid signatures or refused sources from
// one address; and a store failure, produced for real (another connection holding the write
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
    const acked = await s.station.queue.enqueue(() => alerts().acknowledge(open!.id, 'Dana at the desk'))
    expect(acked).toMatchObject({
      id: open!.id,
      acknowledged_by: 'Dana at the desk',
      acknowledged_at: expect.any(String),
      resolved_at: null,
    })
    expect(await s.station.queue.enqueue(() => alerts().acknowledge(open!.id, 'Eve'))).toBeUndefined()
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
      await cli.queue.enqueue(() => cli.access.alerts.acknowledge(open!.id, 'Sam on the CLI'))
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
  it('10 invalid signatures within a minute from one address raise signature_burst, once; 9 from another do not', async () => {
    const body = { gateway_id: 'GW-1', status: 'online' }
    for (let i = 0; i < 9; i++)
      expect((await s.send('mqtt-gateway-status', body, { remoteAddress: '198.51.100.9', signature: BAD_SIGNATURE })).status).toBe(401)
    for (let i = 0; i < 9; i++)
      await s.send('access-event', { reader_id: 'R', credential_value: 'C' }, { remoteAddress: '203.0.113.50', signature: BAD_SIGNATURE })
    await new Promise((r) => setTimeout(r, 50))
    expect(alerts().recent()).toEqual([])
    // The tenth, on any endpoint, starts the burst.
    expect((await s.send('cvent', body, { remoteAddress: '203.0.113.50', signature: 'f'.repeat(64) })).status).toBe(401)
    const [raised] = await eventually(() => alerts().open().length > 0 && alerts().open())
    expect(raised).toMatchObject({ kind: 'signature_burst', subject: '203.0.113.50', severity: 'warning', resolved_at: null })
    expect(hubAlerts('signature_burst')).toEqual([raised])
    for (let i = 0; i < 5; i++) await s.send('mqtt-gateway-status', body, { remoteAddress: '203.0.113.50', signature: BAD_SIGNATURE })
    await new Promise((r) => setTimeout(r, 50))
    expect(alerts().recent()).toHaveLength(1)
    // Quiet for five minutes: the burst is over and its alert resolves.
    await s.station.access.sweep(Date.now() + 6 * 60_000)
    expect(alerts().get(raised!.id)!.resolved_at).not.toBeNull()
  })

  it('10 requests from an address not on the allowlist raise refused_source_burst', async () => {
    await s.station.queue.enqueue(() => s.station.allowlist.add('access-event', '192.0.2.1'))
    s.station.reloadAllowlist()
    for (let i = 0; i < 10; i++) {
      expect((await s.send('access-event', { reader_id: 'R', credential_value: 'C' }, { remoteAddress: '198.51.100.77' })).status).toBe(403)
    }
    const [raised] = await eventually(() => alerts().open().length > 0 && alerts().open())
    expect(raised).toMatchObject({ kind: 'refused_source_burst', subject: '198.51.100.77' })
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

    // Another connection takes the write lock; the station's busy timeout (100 ms) runs out.
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
