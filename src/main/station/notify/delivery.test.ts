// Alert changes reach a real HTTP receiver, signed so the `standardwebhooks` npm package verifies
// them; a receiver that is down gets them later (also after a station restart); a failing target
// raises its own alert. Real station, real sockets, real SQLite file; the retry schedule shortened.
import { afterEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { Webhook } from 'standardwebhooks'
import { eventually, post, signGxp, startStation, tempDir, type RunningStation } from '../../test-support/station'
import { startNotifyReceiver, type NotifyReceiver, type Received } from '../../test-support/notify-receiver'
import { openCore } from '../core'
import type { NotifyOptions } from './notify'
import type { AlertNotification } from '../../../shared/notify'

const FAST: NotifyOptions = {
  tickMs: 25,
  schedule: { delaysMs: [100, 200], repeatMs: 300, giveUpAfterMs: 60_000, jitter: 0 },
  timeoutMs: 2_000,
}

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f()
})

async function station(options: NotifyOptions = FAST, dataDir?: string): Promise<RunningStation> {
  const s = await startStation({ notify: options, ...(dataDir ? { dataDir } : {}) })
  cleanup.push(() => s.close())
  return s
}
async function receiver(): Promise<NotifyReceiver> {
  const r = await startNotifyReceiver()
  cleanup.push(() => r.close())
  return r
}

async function gatewayStatus(s: RunningStation, gateway: string, status: string, readers: unknown[] = []): Promise<void> {
  const body = JSON.stringify({ gateway_id: gateway, status, readers })
  const secret = s.station.secrets.info('mqtt-gateway-status').secret
  const res = await post(s.url, '/webhook/v1/mqtt-gateway-status', body, { 'x-gxp-signature': signGxp(secret, body) })
  expect(res.status).toBe(200)
}

const verified = (secret: string, r: Received): AlertNotification =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as AlertNotification

describe('notifications to a URL', () => {
  it('a local receiver gets every alert change, each verified by the standardwebhooks package', async () => {
    const s = await station()
    const r = await receiver()
    const target = await s.station.notify.add({ name: 'supervisors', url: r.url, min_priority: 5 })
    const secret = s.station.notify.reveal(target.id)!
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/)

    await gatewayStatus(s, 'GW-1', 'offline')
    const alert = s.station.access.alerts.open().find((a) => a.kind === 'gateway_offline')!
    await s.station.queue.enqueue(() => s.station.access.alerts.acknowledge(alert.id, 'Sam', { note: 'Checking the gateway' }))
    // A change committed by another process (the CLI) goes out too: it is in the outbox with its commit.
    const cli = openCore({ dataDir: s.dataDir, env: {} })
    await cli.queue.enqueue(() => cli.access.alerts.raise('reader_disconnected', 'R-9', 'Reader R-9 is error'))
    cli.close()
    await gatewayStatus(s, 'GW-1', 'online')

    await eventually(() => r.received.length === 4)
    const notes = r.received.map((x) => verified(secret, x))
    expect(notes.map((n) => `${n.type} ${n.data.alert.kind} ${n.data.alert.subject}`).sort()).toEqual([
      'alert.acknowledged gateway_offline GW-1',
      'alert.raised gateway_offline GW-1',
      'alert.raised reader_disconnected R-9',
      'alert.resolved gateway_offline GW-1',
    ])
    const acked = notes.find((n) => n.type === 'alert.acknowledged')!
    expect(acked.data).toMatchObject({
      change: 'acknowledged',
      priority: 1,
      alert: { id: alert.id, acknowledged_by: 'Sam', severity: 'critical' },
    })
    expect(acked.text).toContain('acknowledged by Sam')
    expect(notes.find((n) => n.data.alert.kind === 'reader_disconnected')!.data.priority).toBe(3)
    // One webhook-id per change, of the spec's shape; the signature fails on any other body or secret.
    const ids = r.received.map((x) => x.headers['webhook-id'])
    expect(new Set(ids).size).toBe(4)
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-f]{32}$/)
    const first = r.received[0]!
    expect(() => new Webhook(secret).verify(first.body.replace('"', ' "'), first.headers as Record<string, string>)).toThrow()
    const other = s.station.notify
    expect(() => verified(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, first)).toThrow()
    expect(first.headers['content-type']).toBe('application/json')
    await eventually(() => other.list()[0]!.last_success_at !== null && other.list()[0]!.pending === 0)
  })

  it('a target gets only alerts at its minimum priority or more urgent', async () => {
    const s = await station()
    const urgent = await receiver()
    const all = await receiver()
    await s.station.notify.add({ name: 'phones', url: urgent.url, min_priority: 1 })
    await s.station.notify.add({ name: 'chat', url: all.url, min_priority: 3 })
    await gatewayStatus(s, 'GW-2', 'online', [{ reader_id: 'R-1', status: 'error' }])
    await gatewayStatus(s, 'GW-2', 'offline')
    await eventually(() => all.received.length === 2)
    await eventually(() => urgent.received.length === 1)
    const kinds = (r: NotifyReceiver): string[] => r.received.map((x) => (JSON.parse(x.body) as AlertNotification).data.alert.kind).sort()
    expect(kinds(all)).toEqual(['gateway_offline', 'reader_disconnected'])
    expect(kinds(urgent)).toEqual(['gateway_offline'])
  })

  it('a target added later gets the changes after it was added, not older ones', async () => {
    const s = await station()
    await gatewayStatus(s, 'GW-3', 'offline')
    const r = await receiver()
    await s.station.notify.add({ name: 'late', url: r.url, min_priority: 5 })
    await gatewayStatus(s, 'GW-3', 'online')
    await eventually(() => r.received.length === 1)
    expect((JSON.parse(r.received[0]!.body) as AlertNotification).type).toBe('alert.resolved')
    await new Promise((res) => setTimeout(res, 200))
    expect(r.received).toHaveLength(1)
  })
})

describe('delivery when the receiver is down', () => {
  it('retries with backoff and delivers, with the same webhook-id, once the receiver is back', async () => {
    const s = await station()
    const r = await receiver()
    const t = await s.station.notify.add({ name: 'relay', url: r.url, min_priority: 5 })
    await r.down()
    await gatewayStatus(s, 'GW-4', 'offline')
    const row = () =>
      s.station.db
        .prepare<[], { attempts: number; delivered_at: number | null; message_id: string }>(
          'SELECT o.attempts, o.delivered_at, c.message_id FROM notify_outbox o JOIN alert_changes c ON c.id = o.change_id',
        )
        .get()
    await eventually(() => (row()?.attempts ?? 0) >= 3)
    const view = s.station.notify.get(t.id)!
    expect(view).toMatchObject({ pending: 1, last_status: null })
    expect(view.last_error).toMatch(/ECONNREFUSED/)
    expect(view.failing_since).not.toBeNull()

    await r.up()
    await eventually(() => r.received.length === 1)
    expect(r.received[0]!.headers['webhook-id']).toBe(row()!.message_id)
    await eventually(() => s.station.notify.get(t.id)!.pending === 0)
    expect(s.station.notify.get(t.id)).toMatchObject({ last_error: null, failing_since: null, last_status: 204 })
    expect(row()!.delivered_at).not.toBeNull()
  })

  it('keeps what is waiting across a station restart and sends it when the receiver is back', async () => {
    const dataDir = tempDir()
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const r = await receiver()
    await r.down()
    const first = await startStation({ dataDir, notify: FAST })
    await first.station.notify.add({ name: 'relay', url: r.url, min_priority: 5 })
    await gatewayStatus(first, 'GW-5', 'offline')
    await gatewayStatus(first, 'GW-6', 'offline')
    await eventually(() => first.station.notify.list()[0]!.last_error !== null)
    const ids = first.station.db.prepare<[], { message_id: string }>('SELECT message_id FROM alert_changes ORDER BY id').all()
    await first.close()

    await r.up()
    const second = await station(FAST, dataDir)
    await eventually(() => r.received.length === 2)
    expect(r.received.map((x) => x.headers['webhook-id']).sort()).toEqual(ids.map((i) => i.message_id).sort())
    const secret = second.station.notify.reveal(second.station.notify.list()[0]!.id)!
    for (const x of r.received) expect(verified(secret, x).type).toBe('alert.raised')
  })

  it('gives a delivery up after the schedule runs out, and says so', async () => {
    const s = await station({ ...FAST, schedule: { delaysMs: [50], repeatMs: 100, giveUpAfterMs: 400, jitter: 0 } })
    const r = await receiver()
    const t = await s.station.notify.add({ name: 'gone', url: r.url, min_priority: 5 })
    r.setMode({ kind: 'status', status: 503, body: 'maintenance' })
    await gatewayStatus(s, 'GW-7', 'offline')
    await eventually(() => s.station.notify.get(t.id)!.given_up === 1)
    const v = s.station.notify.get(t.id)!
    expect(v).toMatchObject({ pending: 0, given_up: 1, last_status: 503, last_error: 'HTTP 503: maintenance' })
    const row = s.station.db
      .prepare<[], { last_error: string; gave_up_at: number | null }>('SELECT last_error, gave_up_at FROM notify_outbox')
      .get()!
    expect(row.gave_up_at).not.toBeNull()
    expect(row.last_error).toContain('given up after a day of retries')
    const tries = r.received.length
    await new Promise((res) => setTimeout(res, 300))
    expect(r.received.length).toBe(tries)
  })

  it('a target failing past the threshold raises notification_failing; its next success resolves it', async () => {
    const s = await station({ ...FAST, failingAlertAfterMs: 300 })
    const broken = await receiver()
    const healthy = await receiver()
    await s.station.notify.add({ name: 'night-shift', url: broken.url, min_priority: 5 })
    await s.station.notify.add({ name: 'office', url: healthy.url, min_priority: 5 })
    const raised: string[] = []
    s.station.hub.on('alert:changed', (a) => a.kind === 'notification_failing' && raised.push(a.resolved_at ? 'resolved' : 'raised'))
    await broken.down()
    await gatewayStatus(s, 'GW-8', 'offline')
    const alert = await eventually(() => s.station.access.alerts.open().find((a) => a.kind === 'notification_failing'))
    expect(alert).toMatchObject({ subject: 'night-shift', severity: 'warning' })
    expect(alert.message).toMatch(/Notifications to night-shift \(127\.0\.0\.1:\d+\) have failed for \d+ min: .*ECONNREFUSED/)
    // The other target hears of it: that is how a supervisor learns their relay is down.
    await eventually(() =>
      healthy.received.some((x) => (JSON.parse(x.body) as AlertNotification).data.alert.kind === 'notification_failing'),
    )
    await broken.up()
    await eventually(() => s.station.access.alerts.open().every((a) => a.kind !== 'notification_failing'))
    expect(raised).toEqual(['raised', 'resolved'])
  })
})
