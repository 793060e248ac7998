// The two rate budgets over real sockets (127.0.0.x plays the hosts): junk from an address shared
// with a gateway (a NAT) spends the refusal budget of that address, never the signed budget of
// the gateway that signs correctly behind it; a replay is junk too.
import { afterEach, describe, expect, it } from 'vitest'
import { post, signGxp, startStation, type RunningStation } from '../../test-support/station'

const STATUS_PATH = '/webhook/v1/mqtt-gateway-status'
const NAT = '127.0.0.7'
let s: RunningStation
afterEach(() => s.close())

let reportAt = Date.UTC(2026, 0, 1)
const statusBody = (): string =>
  JSON.stringify({ gateway_id: 'GW-NAT', status: 'online', timestamp: new Date((reportAt += 1000)).toISOString() })
const signed = (body: string, from = NAT, endpoint = 'mqtt-gateway-status') =>
  post(
    s.url,
    `/webhook/v1/${endpoint}`,
    body,
    { 'x-gxp-signature': signGxp(s.station.secrets.info(endpoint as 'cvent').secret, body) },
    { localAddress: from },
  )

describe('budgets', () => {
  it('junk from a shared address never spends the budget of the gateway that signs correctly behind it', async () => {
    s = await startStation({ config: { rateLimitPerMinute: 40, refusalRateLimitPerMinute: 20 } })
    // Unsigned, wrongly signed, unknown paths: far past both budgets.
    const junk = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        i % 3 === 0
          ? post(s.url, STATUS_PATH, '{}', {}, { localAddress: NAT })
          : i % 3 === 1
            ? post(s.url, STATUS_PATH, '{}', { 'x-gxp-signature': signGxp('guess', '{}') }, { localAddress: NAT })
            : post(s.url, `/webhook/v1/probe-${i}`, '{}', {}, { localAddress: NAT }),
      ),
    )
    expect(junk.every((r) => [401, 404, 429].includes(r.status))).toBe(true)
    expect(junk.filter((r) => r.status === 429)).toHaveLength(280)

    // The gateway behind the same address: its whole budget is still there.
    for (let i = 0; i < 40; i++) expect((await signed(statusBody())).status, `signed request ${i + 1}`).toBe(200)
    // Its own 41st is over its budget, and only its: another address, another endpoint pass.
    const over = await signed(statusBody())
    expect(over.status).toBe(429)
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect((await signed(statusBody(), '127.0.0.8')).status).toBe(200)
    expect((await signed('{"reader_id":"R-1","credential_value":"C-1"}', NAT, 'access-event')).status).toBe(200)
    // And junk meanwhile still only meets its own budget (429), whatever the gateway spent.
    expect((await post(s.url, STATUS_PATH, '{}', {}, { localAddress: '127.0.0.9' })).status).toBe(401)
  })

  it('replays of captured requests are junk: refused (409) and charged to the refusal budget, not the signed one', async () => {
    s = await startStation({ config: { rateLimitPerMinute: 10, refusalRateLimitPerMinute: 0 } })
    await s.station.queue.enqueue(() => s.station.receiverSettings.setReplayGuard('mqtt-gateway-status', { enabled: true }))
    await s.station.reloadSettings()
    const captured = JSON.stringify({ gateway_id: 'GW-NAT', status: 'online', timestamp: new Date().toISOString() })
    expect((await signed(captured)).status).toBe(200)
    const replays = await Promise.all(Array.from({ length: 50 }, () => signed(captured)))
    expect(replays.every((r) => r.status === 409)).toBe(true)
    // 9 left of the gateway's 10 a minute: the 50 replays took none of them.
    for (let i = 0; i < 9; i++) {
      const fresh = JSON.stringify({ gateway_id: 'GW-NAT', status: 'online', timestamp: new Date(Date.now() + i).toISOString() })
      expect((await signed(fresh)).status, `fresh request ${i + 1}`).toBe(200)
    }
  })
})
