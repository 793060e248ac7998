// Refusals cost almost nothing to store, over real sockets: a refused request keeps the doc's
// fields, its cause, 1 KiB of its body and a SHA-256 of all of it and a few headers; past a few
// a minute from one source they are one entry with a count; 403 and 404 floods meet the refusal
// budget like the rest; the size budget trims refusals first, inside the last day too; and a
// store_space_low alert is raised before the disk fills.
import { afterEach, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { statfsSync } from 'node:fs'
import { eventually, post, signGxp, startStation, type RunningStation, type StartOptions } from '../../test-support/station'
import { REFUSALS_LOGGED_PER_SOURCE_PER_MINUTE } from './refusal-log'
import type { WebhookLogRecord } from '../../../shared/log'

const STATUS_PATH = '/webhook/v1/mqtt-gateway-status'
const open: RunningStation[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})
async function start(options: StartOptions = {}): Promise<RunningStation> {
  const s = await startStation(options)
  open.push(s)
  return s
}

const total = (entries: WebhookLogRecord[]): number => entries.reduce((n, e) => n + e.count, 0)

/** Refusals are counted per clock minute: a flood that straddles one would be counted in two. */
async function awayFromMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000)
  if (left < 8000) await new Promise((r) => setTimeout(r, left + 50))
}

describe('a refused request in the log', () => {
  it('keeps the fields, the cause, 1 KiB of the body, its SHA-256 and a bounded set of headers', async () => {
    const s = await start()
    const body = `{"gateway_id":"GW-1","status":"online","pad":"${'x'.repeat(300_000)}"}`
    const junk = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-junk-${i}`, 'j'.repeat(250)]))
    const res = await post(s.url, STATUS_PATH, body, { 'x-gxp-signature': signGxp('not-the-secret', body), 'user-agent': 'probe', ...junk })
    expect(res.status).toBe(401)
    const [entry] = await eventually(() => s.station.log.query({ status: 401 }).length === 1 && s.station.log.query({ status: 401 }))
    expect(entry).toMatchObject({
      endpoint: STATUS_PATH,
      method: 'POST',
      source_ip: '127.0.0.1',
      reason: 'signature mismatch',
      count: 1,
      refused: true,
    })
    const detail = s.station.log.get(entry!.id)!
    expect(detail.body).toBe(body.slice(0, 1024))
    expect(detail.body_size).toBe(Buffer.byteLength(body))
    expect(detail.body_truncated).toBe(true)
    expect(detail.body_sha256).toBe(createHash('sha256').update(body).digest('hex'))
    expect(Object.keys(detail.headers).sort()).toEqual(['content-length', 'content-type', 'host', 'user-agent', 'x-gxp-signature'])
    // An accepted request keeps its headers and (up to 256 KiB of) its body, as before.
    const ok = '{"gateway_id":"GW-1","status":"online"}'
    expect(
      (
        await post(s.url, STATUS_PATH, ok, {
          'x-gxp-signature': signGxp(s.station.secrets.info('mqtt-gateway-status').secret, ok),
          ...junk,
        })
      ).status,
    ).toBe(200)
    const [accepted] = await eventually(() => s.station.log.query({ status: 200 }).length === 1 && s.station.log.query({ status: 200 }))
    const kept = s.station.log.get(accepted!.id)!
    expect(kept).toMatchObject({ body: ok, refused: false, body_sha256: null })
    expect(Object.keys(kept.headers).length).toBeGreaterThan(40)
  })

  it('past a few a minute from one source, refusals become one entry per status with a count', async () => {
    const s = await start({ config: { refusalRateLimitPerMinute: 0 } })
    await awayFromMinuteEnd()
    const floods = 150
    const sent = await Promise.all(
      Array.from({ length: floods }, (_, i) =>
        i % 2 === 0
          ? post(s.url, STATUS_PATH, '{}', { 'x-gxp-signature': signGxp('wrong', '{}') }, { localAddress: '127.0.0.9' })
          : post(s.url, `/webhook/v1/probe-${i}`, '{}', {}, { localAddress: '127.0.0.9' }),
      ),
    )
    expect(sent.filter((r) => r.status === 401)).toHaveLength(floods / 2)
    expect(sent.filter((r) => r.status === 404)).toHaveLength(floods / 2)
    // Every refusal is counted once: the first few one by one, the rest in a counted entry.
    const entries = await eventually(() => {
      const list = s.station.log.query({ limit: 1000 }).filter((e) => e.source_ip === '127.0.0.9')
      return total(list) === floods && list
    })
    expect(entries.filter((e) => e.count === 1 && e.last_received_at === null)).toHaveLength(REFUSALS_LOGGED_PER_SOURCE_PER_MINUTE)
    const aggregated = entries.filter((e) => e.last_received_at !== null)
    // At most one per status, and the invented paths of a 404 flood make no entry each.
    for (const e of aggregated) expect(e.endpoint).toBe(e.status === 404 ? '(other paths)' : STATUS_PATH)
    expect(new Set(aggregated.map((e) => e.status)).size).toBe(aggregated.length)
    expect(entries.length).toBeLessThanOrEqual(REFUSALS_LOGGED_PER_SOURCE_PER_MINUTE + 2)
    // The desk's "requests by status" counts every request of the flood.
    const byStatus = Object.fromEntries(s.station.log.statusCounts(0).map((r) => [r.status, r.count]))
    expect(byStatus).toMatchObject({ 401: floods / 2, 404: floods / 2 })
    expect(aggregated.every((e) => e.refused && e.count > 1)).toBe(true)
  })

  it('403 and 404 floods meet the refusal budget: 429 with Retry-After, and a signed gateway elsewhere still passes', async () => {
    const s = await start({ config: { refusalRateLimitPerMinute: 30 } })
    s.station.allowlist.add('access-event', '127.0.0.1')
    s.station.reloadAllowlist()
    const scan = '{"reader_id":"R-1","credential_value":"C-1"}'
    const forbidden = await Promise.all(
      Array.from({ length: 40 }, () => post(s.url, '/webhook/v1/access-event', scan, {}, { localAddress: '127.0.0.20' })),
    )
    expect(forbidden.filter((r) => r.status === 403)).toHaveLength(30)
    const limited = forbidden.filter((r) => r.status === 429)
    expect(limited).toHaveLength(10)
    const retryAfter = Number(limited[0]!.headers['retry-after'])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(limited[0]!.body)).toEqual({ error: 'Too Many Requests', message: 'Rate limit exceeded', retry_after: retryAfter })
    const unknown = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(s.url, `/nothing-${i}`, '', {}, { localAddress: '127.0.0.21' })),
    )
    expect(unknown.filter((r) => r.status === 404)).toHaveLength(30)
    expect(unknown.filter((r) => r.status === 429)).toHaveLength(10)
    const key = s.station.secrets.info('access-event').secret
    expect((await post(s.url, '/webhook/v1/access-event', scan, { 'x-gxp-signature': signGxp(key, scan) })).status).toBe(200)
  })
})

describe('space', () => {
  it('raises store_space_low before the disk fills, and then logs refusals as counts only', async () => {
    const { bavail, bsize } = statfsSync(process.cwd())
    const freeMb = Math.floor((Number(bavail) * Number(bsize)) / 1024 / 1024)
    // A warning line above what the disk has free: the check at start must raise the alert.
    const s = await start({ config: { storeMinFreeMb: freeMb + 10_000 }, spaceCheckIntervalMs: 200 })
    const alert = await eventually(() => s.station.access.alerts.openOf('store_space_low', 'store'))
    expect(alert).toMatchObject({ kind: 'store_space_low', severity: 'warning', resolved_at: null })
    expect(alert.message).toMatch(/free on the disk of .*warning below/)
    await awayFromMinuteEnd()
    const sent = await Promise.all(Array.from({ length: 5 }, () => post(s.url, '/nothing', '', {}, { localAddress: '127.0.0.30' })))
    expect(sent.every((r) => r.status === 404)).toBe(true)
    const entries = await eventually(() => {
      const list = s.station.log.query().filter((e) => e.source_ip === '127.0.0.30')
      return total(list) === 5 && list
    })
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ count: 5, endpoint: '(other paths)' })
  })

  it('raises it when the store has outgrown its budget and retention cannot trim it', async () => {
    const s = await start({ config: { storeMaxMb: 16 }, spaceCheckIntervalMs: 200 })
    const body = Buffer.alloc(256 * 1024, 0x61)
    // Accepted requests of the last day: retention keeps them whatever the budget.
    s.station.db.transaction(() => {
      for (let i = 0; i < 80; i++) {
        s.station.log.add({
          endpoint: STATUS_PATH,
          method: 'POST',
          status: 200,
          sourceIp: '10.0.0.1',
          receivedAt: Date.now(),
          responseTimeMs: 1,
          reason: null,
          headers: {},
          body: Buffer.concat([body, Buffer.from(String(i))]),
        })
      }
    })()
    const alert = await eventually(() => s.station.access.alerts.openOf('store_space_low', 'store'))
    expect(alert.message).toMatch(/over its budget of 16 MiB/)
    s.station.db.prepare('DELETE FROM webhook_log').run()
    await eventually(() => s.station.access.alerts.openOf('store_space_low', 'store') === undefined)
    expect(s.station.access.alerts.recent().find((a) => a.id === alert.id)?.resolved_at).not.toBeNull()
  })
})
