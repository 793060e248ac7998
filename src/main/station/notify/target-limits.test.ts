// What a target cannot do to the station: hang it (scans keep being answered; the attempt times
// out; one request per target at a time), redirect it elsewhere, drown it in an endless answer,
// or pass as trusted over HTTPS without a certificate the trust store vouches for.
import { afterEach, describe, expect, it } from 'vitest'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import Database from 'better-sqlite3'
import { DB_FILE } from '../core'
import { eventually, post, signGxp, startStation, tempDir, type RunningStation } from '../../test-support/station'
import { startNotifyReceiver, type NotifyReceiver } from '../../test-support/notify-receiver'
import { generateCertificate } from '../tls/certificate'
import { loadSystemTrustStore } from './trust-store'
import { postJson } from './http-post'
import { nextAttemptAt, parseRetryAfter, DEFAULT_RETRY_SCHEDULE } from './backoff'
import type { NotifyOptions } from './notify'
import type { AlertNotification } from '../../../shared/notify'

const FAST: NotifyOptions = { tickMs: 25, schedule: { delaysMs: [100], repeatMs: 200, giveUpAfterMs: 60_000, jitter: 0 }, timeoutMs: 2_000 }

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})
async function station(options: NotifyOptions): Promise<RunningStation> {
  const s = await startStation({ notify: options })
  cleanup.push(() => s.close())
  return s
}
async function receiver(options?: Parameters<typeof startNotifyReceiver>[0]): Promise<NotifyReceiver> {
  const r = await startNotifyReceiver(options)
  cleanup.push(() => r.close())
  return r
}
async function signedPost(s: RunningStation, endpoint: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload)
  const secret = s.station.secrets.info(endpoint as 'access-event').secret
  return (await post(s.url, `/webhook/v1/${endpoint}`, body, { 'x-gxp-signature': signGxp(secret, body) })).status
}

describe('a target that hangs', () => {
  it('never holds up scans; holds one request at a time; the attempt times out and is retried', async () => {
    const s = await station({ ...FAST, timeoutMs: 1_500 })
    const r = await receiver()
    r.setMode({ kind: 'hang' })
    const t = await s.station.notify.add({ name: 'stuck', url: r.url, min_priority: 5 })
    for (let g = 0; g < 5; g++) expect(await signedPost(s, 'mqtt-gateway-status', { gateway_id: `GW-H${g}`, status: 'offline' })).toBe(200)
    await eventually(() => r.open() === 1)
    // While the target holds its request, scans are decided and answered as ever.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => signedPost(s, 'access-event', { reader_id: `R-${i % 5}`, credential_value: `B-${i}` })),
    )
    expect(answers.every((a) => a === 200)).toBe(true)
    expect(r.open()).toBe(1)
    expect(s.station.access.decisions.recent(0, 100)).toHaveLength(50)
    // The deadline cuts it; what waits behind it is still waiting, one at a time.
    await eventually(() => s.station.notify.get(t.id)!.last_error?.includes('no answer within 1.5 s'))
    expect(r.closedByClient()).toBeGreaterThanOrEqual(1)
    expect(s.station.notify.get(t.id)!.pending).toBe(5)
    expect(r.maxOpen()).toBe(1)
    // close() cuts the attempt in flight without waiting for its deadline, and records nothing for it.
    await eventually(() => r.open() === 1)
    const before = s.station.db.prepare<[], { n: number }>('SELECT sum(attempts) AS n FROM notify_outbox').get()!.n
    await s.station.notify.close()
    await eventually(() => r.open() === 0)
    expect(s.station.db.prepare<[], { n: number }>('SELECT sum(attempts) AS n FROM notify_outbox').get()!.n).toBe(before)
  })
})

describe('what the sender refuses to do', () => {
  it('never follows a redirect, to another host or its own', async () => {
    const s = await station(FAST)
    const elsewhere = await receiver()
    const r = await receiver()
    r.setMode({ kind: 'status', status: 307, headers: { location: elsewhere.url.replace('127.0.0.1', 'localhost') } })
    const t = await s.station.notify.add({ name: 'moved', url: r.url, min_priority: 5 })
    await signedPost(s, 'mqtt-gateway-status', { gateway_id: 'GW-R', status: 'offline' })
    const v = await eventually(() => s.station.notify.get(t.id)!.last_error !== null && s.station.notify.get(t.id)!)
    expect(v.last_status).toBe(307)
    expect(v.last_error).toMatch(/^HTTP 307: redirects to another host \(localhost:\d+\); not followed/)
    r.setMode({ kind: 'status', status: 301, headers: { location: '/elsewhere' } })
    await eventually(() => s.station.notify.get(t.id)!.last_status === 301)
    expect(s.station.notify.get(t.id)!.last_error).toContain(`redirects to http://127.0.0.1:${r.port}/elsewhere; not followed`)
    expect(elsewhere.received).toHaveLength(0)
  })

  it('reads a few KiB of an endless answer, never the rest', async () => {
    const r = await receiver()
    r.setMode({ kind: 'endless' })
    const o = await postJson(r.url, {}, '{}', { timeoutMs: 60_000, trust: { source: 'test', ca: undefined }, maxResponseBytes: 1024 })
    expect(o).toMatchObject({ ok: false, status: 500, aborted: false })
    expect(o.error).toMatch(/^HTTP 500: x{200}$/)
    await eventually(() => r.open() === 0)
  })

  it('calls only http and https URLs, whatever reaches it', async () => {
    for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'not a url']) {
      const o = await postJson(url, {}, '{}', { timeoutMs: 1000, trust: { source: 'test', ca: undefined } })
      expect(o.ok, url).toBe(false)
    }
  })

  it('verifies HTTPS targets against the trust store: a certificate it does not vouch for fails', async () => {
    const pair = await generateCertificate({ dns: ['localhost'], ips: ['127.0.0.1'] })
    const r = await receiver({ tls: pair })
    const untrusted = await postJson(r.url, {}, '{}', { timeoutMs: 5000, trust: loadSystemTrustStore() })
    expect(untrusted.ok).toBe(false)
    expect(untrusted.error).toMatch(/self[- ]signed|certificate/i)
    expect(r.received).toHaveLength(0)

    const s = await station({ ...FAST, trust: { source: 'test', ca: [pair.cert] } })
    const t = await s.station.notify.add({ name: 'tls', url: r.url, min_priority: 5 })
    const test = await s.station.notify.test(t.id)
    expect(test).toMatchObject({ ok: true, status: 204, error: null })
    const got = r.received[0]!
    const body = new Webhook(s.station.notify.reveal(t.id)!).verify(got.body, got.headers as Record<string, string>)
    expect(body).toMatchObject({ type: 'notification.test', data: { target: 'tls' } })
  })
})

describe('the trust store and the schedule', () => {
  it('reads the operating system bundle where Node cannot (Node 20), else Node asks the OS itself', () => {
    const dir = tempDir()
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    const bundle = join(dir, 'bundle.pem')
    writeFileSync(bundle, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    const store = loadSystemTrustStore([join(dir, 'missing.pem'), bundle])
    if (store.source.startsWith('system')) expect(store.ca!.length).toBeGreaterThan(0)
    else {
      expect(store.source).toBe(bundle)
      // Then NODE_EXTRA_CA_CERTS, as Node itself would add them.
      expect(store.ca![0]).toBe('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')
      expect(loadSystemTrustStore([join(dir, 'missing.pem')]).ca).toBeUndefined()
    }
  })

  it('backs off 5 s, 30 s, 2 min, 10 min, 30 min, then hourly, and gives up after a day', () => {
    const s = { ...DEFAULT_RETRY_SCHEDULE, jitter: 0 }
    const t0 = 1_000_000
    let at = t0
    const waits: number[] = []
    for (let failures = 1; ; failures++) {
      const next = nextAttemptAt(s, failures, t0, at)
      if (next === null) break
      waits.push(next - at)
      at = next
    }
    expect(waits.slice(0, 6)).toEqual([5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000])
    expect(waits.slice(5).every((w) => w === 3_600_000)).toBe(true)
    expect(at - t0).toBeLessThanOrEqual(86_400_000)
    expect(at - t0 + 3_600_000).toBeGreaterThan(86_400_000)
    // A Retry-After is obeyed (capped at an hour); jitter only ever lengthens a wait, by at most its fraction.
    expect(nextAttemptAt(s, 1, t0, t0, parseRetryAfter('120', t0))).toBe(t0 + 120_000)
    expect(nextAttemptAt(s, 1, t0, t0, parseRetryAfter('999999', t0))).toBe(t0 + 3_600_000)
    expect(nextAttemptAt({ ...s, jitter: 0.1 }, 1, t0, t0, null, () => 1)).toBe(t0 + 5_500)
    expect(parseRetryAfter('soon', t0)).toBeNull()
    expect(parseRetryAfter(new Date(t0 + 10_000).toUTCString(), t0)).toBe(10_000)
  })
})

describe('when the outcome cannot be recorded', () => {
  it('a store fault does not have the target called again at every tick; the delivery goes once the store is back', async () => {
    // The cool-down is the first retry wait: 5 s here, far longer than the lock is held below.
    const s = await station({
      tickMs: 25,
      schedule: { delaysMs: [5_000], repeatMs: 5_000, giveUpAfterMs: 60_000, jitter: 0 },
      timeoutMs: 10_000,
    })
    const r = await receiver()
    r.setMode({ kind: 'hang' })
    const t = await s.station.notify.add({ name: 'phones', url: r.url, min_priority: 5 })
    await signedPost(s, 'mqtt-gateway-status', { gateway_id: 'GW-L', status: 'offline' })
    await eventually(() => r.open() === 1)
    // Another process holds the write lock while the target answers: the 204 cannot be recorded.
    const other = new Database(join(s.dataDir, DB_FILE))
    other.exec('BEGIN IMMEDIATE')
    r.setMode({ kind: 'ok' })
    r.release(204)
    await new Promise((res) => setTimeout(res, 600))
    expect(r.received).toHaveLength(1)
    other.exec('ROLLBACK')
    other.close()
    // Still due: sent again after the wait, with the same webhook-id (receivers deduplicate on it).
    const id = r.received[0]!.headers['webhook-id']
    await eventually(() => r.received.filter((x) => x.headers['webhook-id'] === id).length === 2, 30_000)
    // The store fault itself reaches the target too, written (as "recorded") once the store took writes again.
    const kinds = async (): Promise<string[]> => {
      await eventually(() => r.received.length === 3 && s.station.notify.get(t.id)!.pending === 0, 30_000)
      return r.received.map(
        (x) => `${(JSON.parse(x.body) as AlertNotification).type} ${(JSON.parse(x.body) as AlertNotification).data.alert.kind}`,
      )
    }
    expect(await kinds()).toEqual(['alert.raised gateway_offline', 'alert.raised gateway_offline', 'alert.recorded store_failure'])
  })
})
