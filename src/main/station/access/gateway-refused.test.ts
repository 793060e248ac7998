// gateway_refused through the real receiver: a gateway that was accepted and now gets 401 or 403
// raises the alert at the second refusal in a row (two a minute is far below any burst threshold),
// one per gateway; an accepted request from its address resolves it. Unknown addresses never do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertView } from '../../../shared/domain'
import { at, openAccessStation, type AccessStation } from '../../test-support/access-station'
import { eventually } from '../../test-support/station'

let s: AccessStation
let tick = 0
beforeEach(async () => {
  s = await openAccessStation()
})
afterEach(async () => {
  await s?.close()
})

const report = (gateway_id: string, options: { remoteAddress?: string; signature?: string } = {}) =>
  s.send('mqtt-gateway-status', { gateway_id, status: 'online', readers: [], timestamp: at(++tick) }, options)
const refusedAlerts = (): AlertView[] => s.station.access.alerts.recent().filter((a) => a.kind === 'gateway_refused')
const openRefused = (): AlertView[] => refusedAlerts().filter((a) => a.resolved_at === null)

describe('gateway_refused', () => {
  it('raises at the second refusal in a row of a known gateway, and resolves when it is accepted again', async () => {
    expect((await report('GW-NORTH')).status).toBe(200)
    expect((await report('GW-NORTH', { signature: 'sha256=00' })).status).toBe(401)
    // One refusal is not yet a pattern.
    await s.station.queue.enqueue(() => undefined) // whatever a refusal enqueued is committed by now
    expect(refusedAlerts()).toEqual([])
    expect((await report('GW-NORTH', { signature: 'sha256=00' })).status).toBe(401)
    await eventually(() => openRefused().length === 1)
    const [alert] = openRefused()
    expect(alert).toMatchObject({ subject: 'GW-NORTH', severity: 'critical' })
    expect(alert!.message).toMatch(/GW-NORTH .*2 requests in a row from 127\.0\.0\.1 .*401/)
    expect(s.seen('alert:changed').some((a) => a.kind === 'gateway_refused' && a.resolved_at === null)).toBe(true)
    // A third refusal does not raise a second alert.
    expect((await report('GW-NORTH', { signature: 'sha256=00' })).status).toBe(401)
    expect((await report('GW-NORTH')).status).toBe(200)
    await eventually(() => openRefused().length === 0)
    expect(refusedAlerts()).toHaveLength(1)
    expect(refusedAlerts()[0]!.resolved_at).not.toBeNull()
  })

  it('counts an allowlist refusal (403) too, and only in a row: an accepted request in between resets it', async () => {
    expect((await report('GW-SOUTH', { remoteAddress: '198.51.100.9' })).status).toBe(200)
    expect((await report('GW-SOUTH', { remoteAddress: '198.51.100.9', signature: 'sha256=00' })).status).toBe(401)
    expect((await report('GW-SOUTH', { remoteAddress: '198.51.100.9' })).status).toBe(200)
    expect((await report('GW-SOUTH', { remoteAddress: '198.51.100.9', signature: 'sha256=00' })).status).toBe(401)
    await s.station.queue.enqueue(() => undefined) // whatever a refusal enqueued is committed by now
    expect(refusedAlerts()).toEqual([])
    await s.station.queue.enqueue(() => s.station.allowlist.add('mqtt-gateway-status', '10.0.0.0/8'))
    s.station.reloadAllowlist()
    expect((await report('GW-SOUTH', { remoteAddress: '198.51.100.9' })).status).toBe(403)
    await eventually(() => openRefused().length === 1)
    expect(openRefused()[0]!.message).toMatch(/403/)
  })

  it('never fires for an address no gateway was accepted from', async () => {
    for (let i = 0; i < 4; i++)
      expect((await report('GW-FORGED', { remoteAddress: '203.0.113.7', signature: 'sha256=00' })).status).toBe(401)
    await s.station.queue.enqueue(() => undefined) // whatever a refusal enqueued is committed by now
    expect(refusedAlerts()).toEqual([])
  })
})
