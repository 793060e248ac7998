// The desk's notification-target commands through runDeskCommand (validation included) against a
// real station: what an admin (or a hostile page that reached the desk socket) can and cannot enter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { eventually, startStation, type RunningStation } from '../../test-support/station'
import { startNotifyReceiver, type NotifyReceiver } from '../../test-support/notify-receiver'
import { createDeskCommands, runDeskCommand, type DeskCommands } from './commands'
import type { Result } from '../../../shared/contract-names'
import { MAX_TARGETS, type NotifyTargetView, type NotifyTestResult } from '../../../shared/notify'
import { NOTIFY_SECRETS_FILE } from '../notify/target-secrets'

let s: RunningStation
let r: NotifyReceiver
let commands: DeskCommands

beforeEach(async () => {
  s = await startStation({ notify: { tickMs: 25 } })
  r = await startNotifyReceiver()
  commands = createDeskCommands({ station: s.station, receiverUrls: () => [s.url] })
})
afterEach(async () => {
  await r.close()
  await s.close()
})

const call = (name: string, input: unknown) => runDeskCommand(commands, name, input, () => undefined)
async function ok<T>(name: string, input: unknown): Promise<T> {
  const res = (await call(name, input)) as Result<T>
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`)
  return res.value
}
async function refused(name: string, input: unknown): Promise<{ code: string; message: string }> {
  const res = await call(name, input)
  if (res.ok) throw new Error(`${name} was accepted: ${JSON.stringify(res.value)}`)
  return res.error
}

describe('notification targets from the desk', () => {
  it('adds a target with a masked whsec_ secret that reveal shows in full and that signs its test', async () => {
    const added = await ok<NotifyTargetView>('notify:add', { name: 'supervisors', url: r.url, min_priority: 3 })
    expect(added).toMatchObject({ name: 'supervisors', url: r.url, min_priority: 3, kind: 'webhook', pending: 0, last_error: null })
    const { secret } = await ok<{ secret: string }>('notify:reveal', { id: added.id })
    expect(secret).toMatch(/^whsec_/)
    expect(added.secret_masked).toBe(`whsec_••••••••${secret.slice(-4)}`)
    // The list never carries a secret; the file holding them is 0600 and the store holds none.
    const listed = await ok<NotifyTargetView[]>('notify:list', {})
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6, 20))
    const file = join(s.dataDir, NOTIFY_SECRETS_FILE)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain(secret)
    const inStore = s.station.db.prepare('SELECT * FROM notify_targets').all()
    expect(JSON.stringify(inStore)).not.toContain(secret.slice(6, 20))

    const test = await ok<NotifyTestResult>('notify:test', { id: added.id })
    expect(test).toMatchObject({ ok: true, status: 204, error: null })
    const got = r.received[0]!
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: 'notification.test' })
    expect((await ok<NotifyTargetView[]>('notify:list', {}))[0]!.last_success_at).not.toBeNull()
  })

  it('refuses URLs it must never call and names that clash, with a clear message', async () => {
    for (const [url, message] of [
      ['ftp://relay.example/alerts', 'Only http:// and https:// URLs'],
      ['file:///etc/passwd', 'Only http:// and https:// URLs'],
      ['javascript:alert(1)', 'Only http:// and https:// URLs'],
      ['https://admin:hunter2@relay.example/x', 'no user name or password'],
      ['https://relay.example/x#frag', 'fragment'],
      ['relay.example/alerts', 'Not a URL'],
      [`https://relay.example/${'a'.repeat(2100)}`, 'At most 2048'],
    ] as const) {
      const e = await refused('notify:add', { name: 'x', url })
      expect(e.code, url).toBe('INVALID_INPUT')
      expect(e.message, url).toContain(message)
    }
    for (const name of ['', ' ', '../etc', 'a b', '-x', 'x'.repeat(65)]) {
      expect((await refused('notify:add', { name, url: r.url })).code, name).toBe('INVALID_INPUT')
    }
    for (const min_priority of [0, 6, 2.5, '1']) {
      expect((await refused('notify:add', { name: 'p', url: r.url, min_priority })).code).toBe('INVALID_INPUT')
    }
    await ok('notify:add', { name: 'Phones', url: r.url })
    expect(await refused('notify:add', { name: 'phones', url: r.url })).toMatchObject({ code: 'CONFLICT' })
    expect(await ok<NotifyTargetView[]>('notify:list', {})).toHaveLength(1)
    for (let i = 1; i < MAX_TARGETS; i++) await ok('notify:add', { name: `t${i}`, url: r.url })
    expect(await refused('notify:add', { name: 'one-more', url: r.url })).toMatchObject({ code: 'CONFLICT', message: /At most 20/ })
    for (const t of await ok<NotifyTargetView[]>('notify:list', {})) if (t.name !== 'Phones') await ok('notify:remove', { id: t.id })
    // A refused add leaves no secret behind.
    expect(Object.keys(JSON.parse(JSON.parse(readFileSync(join(s.dataDir, NOTIFY_SECRETS_FILE), 'utf8')).data).targets)).toHaveLength(1)
  })

  it('changes the filter, removes a target with what waits for it, and answers NOT_FOUND after', async () => {
    const t = await ok<NotifyTargetView>('notify:add', { name: 'chat', url: r.url, min_priority: 5 })
    expect(await ok<NotifyTargetView>('notify:update', { id: t.id, min_priority: 1 })).toMatchObject({ min_priority: 1 })
    await r.down()
    await s.station.queue.enqueue(() => s.station.access.alerts.raise('gateway_offline', 'GW-1', 'offline'))
    await eventually(() => s.station.notify.get(t.id)?.last_error)
    expect(await ok('notify:remove', { id: t.id })).toEqual({ removed: true })
    expect(s.station.db.prepare('SELECT count(*) AS n FROM notify_outbox').get()).toEqual({ n: 0 })
    for (const name of ['notify:remove', 'notify:test', 'notify:reveal'])
      expect(await refused(name, { id: t.id }), name).toMatchObject({ code: 'NOT_FOUND' })
    expect(await refused('notify:update', { id: t.id, min_priority: 2 })).toMatchObject({ code: 'NOT_FOUND' })
    expect((await refused('notify:remove', { id: -1 })).code).toBe('INVALID_INPUT')
  })

  it('reports a failed test as a value, with the reason', async () => {
    const t = await ok<NotifyTargetView>('notify:add', { name: 'down', url: r.url })
    r.setMode({ kind: 'status', status: 401, body: 'bad signature' })
    expect(await ok<NotifyTestResult>('notify:test', { id: t.id })).toMatchObject({
      ok: false,
      status: 401,
      error: 'HTTP 401: bad signature',
    })
  })
})
