// Gateway and reader health through the real receiver: registration on first sight, older reports
// ignored, silence past GATEHOUSE_GATEWAY_TIMEOUT_SECONDS raising gateway_offline, which resolves
// by itself when the gateway reports again; reader_disconnected raised and resolved the same way.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertView } from '../../../shared/domain'
import { at, openAccessStation, type AccessStation } from '../../test-support/access-station'

let s: AccessStation
afterEach(async () => {
  await s?.close()
})
/** The documented default timeout (90 s) unless a test needs a gateway to fall silent quickly. */
const open = async (gatewayTimeoutSeconds?: number): Promise<void> => {
  s = await openAccessStation({ config: gatewayTimeoutSeconds === undefined ? {} : { gatewayTimeoutSeconds } })
}

const status = (
  gateway_id: string,
  st: string,
  seconds: number,
  readers: Array<{ reader_id: string; status: string; last_scan?: string }> = [],
) => s.send('mqtt-gateway-status', { gateway_id, status: st, readers, timestamp: at(seconds) })

const gateway = (id: string, now?: number) => s.station.access.gateways.list(now).gateways.find((g) => g.gateway_id === id)
const alertsOf = (kind: AlertView['kind']) => s.station.access.alerts.recent().filter((a) => a.kind === kind)
const hubAlerts = (kind: AlertView['kind']) => s.seen('alert:changed').filter((a) => a.kind === kind)

describe('gateway status', () => {
  beforeEach(() => open())

  it('registers the gateway and its readers on first sight, with status, last_scan and last_seen', async () => {
    const res = await status('GW-1', 'online', 0, [
      { reader_id: 'R-1', status: 'connected', last_scan: at(-30) },
      { reader_id: 'R-2', status: 'connected' },
    ])
    expect(res).toEqual({ status: 200, json: { success: true, message: 'Status updated' } })
    const gw = gateway('GW-1')!
    expect(gw).toMatchObject({
      status: 'online',
      health: 'online',
      reported_at: at(0),
      reader_counts: { total: 2, healthy: 2, degraded: 0, unknown: 0 },
    })
    expect(gw.readers.map((r) => [r.reader_id, r.gateway_id, r.health, r.last_scan])).toEqual([
      ['R-1', 'GW-1', 'healthy', at(-30)],
      ['R-2', 'GW-1', 'healthy', null],
    ])
    expect(Date.now() - Date.parse(gw.last_seen)).toBeLessThan(5000)
    expect(s.seen('gateway:changed').at(-1)).toMatchObject({ gateway_id: 'GW-1', health: 'online' })
  })

  it('a report not newer than the one applied is ignored and proves nothing (a replayed capture looks just like it)', async () => {
    await status('GW-1', 'online', 10, [{ reader_id: 'R-1', status: 'connected' }])
    const seenBefore = gateway('GW-1')!.last_seen
    await new Promise((r) => setTimeout(r, 5))
    for (const seconds of [5, 10]) {
      expect((await status('GW-1', 'degraded', seconds, [{ reader_id: 'R-1', status: 'disconnected' }])).status).toBe(200)
      const gw = gateway('GW-1')!
      expect(gw).toMatchObject({ status: 'online', reported_at: at(10), last_seen: seenBefore })
      expect(gw.readers[0]).toMatchObject({ status: 'connected', health: 'healthy' })
    }
    expect(alertsOf('reader_disconnected')).toEqual([])
    expect(s.station.log.query({ limit: 1 })[0]!.reason).toBe('not newer than the status already applied; ignored (not proof of life)')
  })

  it('an access event refreshes its reader: last_scan, and the gateway is heard from', async () => {
    await status('GW-1', 'online', 0, [{ reader_id: 'R-1', status: 'connected' }])
    await s.send('access-event', { reader_id: 'R-1', credential_value: 'X', timestamp: at(5) })
    expect(gateway('GW-1')!.readers[0]!.last_scan).toBe(at(5))
    // A reader seen only in access events belongs to no gateway; its health is unknown.
    await s.send('access-event', { reader_id: 'R-LONE', credential_value: 'X', timestamp: at(6) })
    expect(s.station.access.gateways.list().unassigned).toEqual([
      expect.objectContaining({ reader_id: 'R-LONE', health: 'unknown', last_scan: at(6) }),
    ])
  })
})

describe('gateway offline', () => {
  beforeEach(() => open(1))

  it('silence past the timeout raises gateway_offline once; the next report resolves it', async () => {
    await status('GW-1', 'online', 0, [{ reader_id: 'R-1', status: 'connected' }])
    // Just inside the timeout (1 s after the last report): not yet.
    await s.station.access.sweep(Date.parse(gateway('GW-1')!.last_seen) + 1000)
    expect(alertsOf('gateway_offline')).toEqual([])

    const later = Date.now() + 2000
    await s.station.access.sweep(later)
    const [raised] = alertsOf('gateway_offline')
    expect(raised).toMatchObject({ subject: 'GW-1', severity: 'critical', resolved_at: null })
    expect(raised!.message).toMatch(/GW-1 silent for \d+ s/)
    expect(hubAlerts('gateway_offline')).toEqual([raised])
    expect(gateway('GW-1', later)).toMatchObject({ health: 'offline', readers: [expect.objectContaining({ health: 'degraded' })] })
    expect(s.seen('gateway:changed').at(-1)).toMatchObject({ gateway_id: 'GW-1', health: 'offline' })
    // A second sweep does not raise it again.
    await s.station.access.sweep(later + 1000)
    expect(alertsOf('gateway_offline')).toHaveLength(1)

    await status('GW-1', 'online', 30, [{ reader_id: 'R-1', status: 'connected' }])
    const [resolved] = alertsOf('gateway_offline')
    expect(resolved).toMatchObject({ id: raised!.id, resolved_at: expect.any(String) })
    expect(hubAlerts('gateway_offline').at(-1)).toMatchObject({ id: raised!.id, resolved_at: resolved!.resolved_at })
    expect(gateway('GW-1', Date.parse(gateway('GW-1')!.last_seen))!.health).toBe('online')
    expect(s.station.access.alerts.open()).toEqual([])
  })

  it('goes offline for real (the station’s own sweep timer) and recovers', async () => {
    await s.close()
    s = await openAccessStation({ config: { gatewayTimeoutSeconds: 1 }, sweepIntervalMs: 100 })
    await status('GW-2', 'online', 0)
    const deadline = Date.now() + 5000
    while (alertsOf('gateway_offline').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    expect(s.station.access.alerts.open()).toEqual([expect.objectContaining({ kind: 'gateway_offline', subject: 'GW-2' })])
    await status('GW-2', 'online', 1)
    expect(s.station.access.alerts.open()).toEqual([])
  })

  it('a gateway that comes back with an older timestamp is not back: clock_skew says why; a newer report is', async () => {
    await status('GW-1', 'online', 100)
    await s.station.access.sweep(Date.now() + 2000)
    expect(s.station.access.alerts.open()).toHaveLength(1)
    await status('GW-1', 'online', 50)
    const open = s.station.access.alerts.open().sort((a, b) => a.kind.localeCompare(b.kind))
    expect(open.map((a) => [a.kind, a.subject])).toEqual([
      ['clock_skew', 'GW-1'],
      ['gateway_offline', 'GW-1'],
    ])
    expect(open[0]!.message).toMatch(
      /^GW-1's clock is \d+ days behind the station's .*its reports are ignored as older than the last one applied/,
    )
    // Its clock put right: the report is newer, in time with the station, and resolves both.
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'online', timestamp: new Date().toISOString() })
    expect(s.station.access.alerts.open()).toEqual([])
    expect(alertsOf('gateway_offline')[0]!.resolved_at).not.toBeNull()
  })

  it('an offline alert survives a restart and resolves when the gateway returns after it', async () => {
    await status('GW-1', 'online', 0)
    await s.station.access.sweep(Date.now() + 2000)
    await s.restart()
    // Not raised twice after the restart…
    await s.station.access.sweep(Date.now() + 2000)
    expect(alertsOf('gateway_offline')).toHaveLength(1)
    // …and resolved by the next report.
    await status('GW-1', 'online', 10)
    expect(s.station.access.alerts.open()).toEqual([])
  })

  it('a scan through a silent gateway brings it back online and resolves its alert', async () => {
    await status('GW-1', 'online', 0, [{ reader_id: 'R-1', status: 'connected' }])
    await s.station.access.sweep(Date.now() + 2000)
    expect(s.station.access.alerts.open()).toHaveLength(1)
    await s.send('access-event', { reader_id: 'R-1', credential_value: 'X', timestamp: at(5) })
    expect(s.seen('gateway:changed').at(-1)).toMatchObject({ gateway_id: 'GW-1', health: 'online' })
    expect(s.station.access.alerts.open()).toEqual([])
    expect(hubAlerts('gateway_offline').at(-1)!.resolved_at).not.toBeNull()
    // Silent again later: raised again.
    await s.station.access.sweep(Date.now() + 2000)
    expect(s.station.access.alerts.open()).toEqual([expect.objectContaining({ kind: 'gateway_offline', subject: 'GW-1' })])
  })

  it('a report committed in the same batch as the sweep, ahead of it, keeps the gateway from being declared offline', async () => {
    await status('GW-1', 'online', 0)
    const later = Date.now() + 2000
    // The report is already queued when the sweep looks for silent gateways; it commits first.
    const payload = { gateway_id: 'GW-1', status: 'online', timestamp: at(1) }
    const report = s.station.queue.enqueue(() =>
      s.station.access.handlers['mqtt-gateway-status'](payload, {
        sourceIp: '127.0.0.1',
        receivedAt: later,
        headers: {},
        raw: Buffer.from(JSON.stringify(payload)),
      }),
    )
    await Promise.all([report, s.station.access.sweep(later)])
    expect(gateway('GW-1', later)!.health).toBe('online')
    expect(alertsOf('gateway_offline')).toEqual([])
  })

  it('a gateway reporting itself offline raises the alert; online resolves it', async () => {
    await status('GW-3', 'online', 0)
    await status('GW-3', 'offline', 1)
    expect(s.station.access.alerts.open()).toEqual([expect.objectContaining({ kind: 'gateway_offline', subject: 'GW-3' })])
    expect(gateway('GW-3')!.health).toBe('offline')
    await status('GW-3', 'online', 2)
    expect(s.station.access.alerts.open()).toEqual([])
  })
})

describe('reader health', () => {
  beforeEach(() => open())

  it('a disconnected reader raises reader_disconnected (degraded); connected again resolves it', async () => {
    await status('GW-1', 'online', 0, [
      { reader_id: 'R-1', status: 'connected' },
      { reader_id: 'R-2', status: 'connected' },
    ])
    await status('GW-1', 'online', 1, [
      { reader_id: 'R-1', status: 'disconnected' },
      { reader_id: 'R-2', status: 'connected' },
    ])
    const [raised] = alertsOf('reader_disconnected')
    expect(raised).toMatchObject({ subject: 'R-1', severity: 'warning', resolved_at: null })
    expect(gateway('GW-1')).toMatchObject({ health: 'online', reader_counts: { total: 2, healthy: 1, degraded: 1, unknown: 0 } })
    // Still disconnected in the next report: no second alert.
    await status('GW-1', 'online', 2, [{ reader_id: 'R-1', status: 'disconnected' }])
    expect(alertsOf('reader_disconnected')).toHaveLength(1)

    await status('GW-1', 'online', 3, [{ reader_id: 'R-1', status: 'connected' }])
    expect(alertsOf('reader_disconnected')).toEqual([expect.objectContaining({ id: raised!.id, resolved_at: expect.any(String) })])
    expect(hubAlerts('reader_disconnected').map((a) => a.resolved_at === null)).toEqual([true, false])
    expect(gateway('GW-1')!.readers.find((r) => r.reader_id === 'R-1')!.health).toBe('healthy')
  })

  it('an unrecognised reader status is kept and shown, health unknown', async () => {
    await status('GW-1', 'online', 0, [{ reader_id: 'R-1', status: 'booting' }])
    expect(gateway('GW-1')!.readers[0]).toMatchObject({ status: 'booting', health: 'unknown' })
    expect(s.station.access.alerts.open()).toEqual([])
  })
})
