// The desk's admin commands against a real station listening on a real socket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from '../station'
import { createDeskCommands, runDeskCommand, type DeskCommands } from './commands'
import { signatureHeaderValue } from '../receiver/signature'
import type { Result } from '../../../shared/contract-names'
import type { Overview } from '../../../shared/contract'
import { eventually } from '../../test-support/station'

let dir: string
let station: Station
let base: string
let commands: DeskCommands

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-desk-'))
  station = await createStation({ dataDir: dir })
  const { port } = await station.listen('127.0.0.1', 0)
  base = `http://127.0.0.1:${port}`
  commands = createDeskCommands({ station, receiverUrls: () => [base] })
})

afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const run = async <T>(name: string, input: unknown): Promise<T> => {
  const r = (await runDeskCommand(commands, name, input)) as Result<T>
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

async function postStatus(key: string, body = '{"gateway_id":"GW-9","status":"online"}'): Promise<number> {
  const res = await fetch(`${base}/webhook/v1/mqtt-gateway-status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
    body,
  })
  return res.status
}

describe('desk commands', () => {
  it('rotating a secret with no grace makes the old signature fail at once; with grace both verify', async () => {
    const old = station.secrets.info('mqtt-gateway-status').secret
    expect(await postStatus(old)).toBe(200)
    await run('secret:rotate', { endpoint: 'mqtt-gateway-status', grace_hours: 24 })
    const second = station.secrets.info('mqtt-gateway-status').secret
    expect(await postStatus(old)).toBe(200)
    expect(await postStatus(second)).toBe(200)
    const summary = await run<{ previous_valid_until: string | null; masked: string }>('secret:rotate', {
      endpoint: 'mqtt-gateway-status',
      grace_hours: 0,
    })
    expect(summary.previous_valid_until).toBeNull()
    const third = (await run<{ secret: string }>('secret:reveal', { endpoint: 'mqtt-gateway-status' })).secret
    expect(summary.masked.endsWith(third.slice(-4))).toBe(true)
    expect(await postStatus(second)).toBe(401)
    expect(await postStatus(third)).toBe(200)
  })

  it('adds, tests and removes allowlist entries, and the receiver obeys at once', async () => {
    const key = station.secrets.info('mqtt-gateway-status').secret
    const entry = await run<{ id: number; entry: string }>('allowlist:add', {
      endpoint: 'mqtt-gateway-status',
      entry: '10.1.2.3/8',
      label: 'turnstiles',
    })
    expect(entry.entry).toBe('10.0.0.0/8')
    expect(await run('allowlist:test', { endpoint: 'mqtt-gateway-status', address: '10.200.0.1' })).toMatchObject({
      allowed: true,
      matched: { entry: '10.0.0.0/8' },
    })
    expect(await run('allowlist:test', { endpoint: 'mqtt-gateway-status', address: '127.0.0.1' })).toMatchObject({
      allowed: false,
      matched: null,
    })
    expect(await postStatus(key)).toBe(403)
    // The last entry: removing it opens the endpoint, so the desk must say it means it.
    const unconfirmed = await runDeskCommand(commands, 'allowlist:remove', {
      endpoint: 'mqtt-gateway-status',
      id: entry.id,
    })
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } })
    expect(!unconfirmed.ok && unconfirmed.error.message).toContain('accept requests from any source address')
    expect(station.allowlist.list('mqtt-gateway-status')).toHaveLength(1)
    expect(await postStatus(key)).toBe(403)
    await run('allowlist:remove', { endpoint: 'mqtt-gateway-status', id: entry.id, open: true })
    expect(await postStatus(key)).toBe(200)
  })

  it('replaces a list in one command: entries kept keep their hits, an empty result needs open', async () => {
    const key = station.secrets.info('mqtt-gateway-status').secret
    await run('allowlist:add', { endpoint: 'mqtt-gateway-status', entry: '127.0.0.1', label: 'desk' })
    expect(await postStatus(key)).toBe(200)
    // The hit reaches the store twice a second.
    await eventually(() => station.allowlist.list('mqtt-gateway-status')[0]!.hits >= 1)
    const list = await run<Array<{ entry: string; label: string | null; hits: number }>>('allowlist:set', {
      endpoint: 'mqtt-gateway-status',
      entries: [{ entry: '127.0.0.1' }, { entry: '10.1.2.3/8', label: 'turnstiles' }, { entry: '10.9.9.9/8' }],
    })
    expect(list.map((e) => [e.entry, e.label])).toEqual([
      ['127.0.0.1', 'desk'],
      ['10.0.0.0/8', 'turnstiles'],
    ])
    expect(list[0]!.hits).toBeGreaterThanOrEqual(1)
    // One invalid entry: nothing changes.
    const bad = await runDeskCommand(commands, 'allowlist:set', {
      endpoint: 'mqtt-gateway-status',
      entries: [{ entry: '10.0.0.7' }, { entry: '10.0.0.0/33' }],
    })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(station.allowlist.list('mqtt-gateway-status').map((e) => e.entry)).toEqual(['127.0.0.1', '10.0.0.0/8'])
    const empty = await runDeskCommand(commands, 'allowlist:set', { endpoint: 'mqtt-gateway-status', entries: [] })
    expect(empty).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } })
    expect(station.allowlist.list('mqtt-gateway-status')).toHaveLength(2)
    expect(await run('allowlist:set', { endpoint: 'mqtt-gateway-status', entries: [], open: true })).toEqual([])
  })

  it('copy-as-curl replays a logged request, re-signed with the current secret', async () => {
    const key = station.secrets.info('mqtt-gateway-status').secret
    expect(await postStatus(key, '{"gateway_id":"GW-\'quoted\'","status":"online"}')).toBe(200)
    const [entry] = await run<Array<{ id: string }>>('logs:query', { endpoint: '/webhook/v1/mqtt-gateway-status', status: 200 })
    await run('secret:rotate', { endpoint: 'mqtt-gateway-status', grace_hours: 0 })
    const { command } = await run<{ command: string }>('logs:curl', { id: entry!.id })
    // Async: the station answering curl runs in this very process.
    const { stdout: out } = await promisify(execFile)('sh', ['-c', `${command} -s -w ' %{http_code}'`], { encoding: 'utf8' })
    expect(out).toBe('{"success":true,"message":"Status updated"} 200')
  })

  it('allowlist preview: the sources of the last hour a proposed list would refuse, with their gateway ids', async () => {
    const key = station.secrets.info('mqtt-gateway-status').secret
    expect(await postStatus(key)).toBe(200)
    expect(await postStatus(key, '{"gateway_id":"GW-2","status":"online"}')).toBe(200)
    expect(await postStatus('forged')).toBe(401)
    const locked = await run<{ entries: string[]; locked_out: unknown[] }>('allowlist:preview', {
      endpoint: 'mqtt-gateway-status',
      entries: ['10.1.2.3/8'],
    })
    expect(locked.entries).toEqual(['10.0.0.0/8'])
    // Two accepted requests counted (the forged one was never a working source).
    expect(locked.locked_out).toEqual([{ address: '127.0.0.1', gateway_ids: ['GW-2', 'GW-9'], requests: 2, last_seen: expect.any(String) }])
    expect(await run('allowlist:preview', { endpoint: 'mqtt-gateway-status', entries: ['10.0.0.0/8', '127.0.0.0/8'] })).toMatchObject({
      locked_out: [],
    })
    // Another endpoint's list does not lock out this endpoint's sources; an empty list refuses nobody.
    expect(await run('allowlist:preview', { endpoint: 'access-event', entries: ['10.0.0.0/8'] })).toMatchObject({ locked_out: [] })
    expect(await run('allowlist:preview', { endpoint: 'mqtt-gateway-status', entries: [] })).toMatchObject({ locked_out: [] })
    // Nothing is saved by a preview, and a bad entry is a clear error.
    expect(station.allowlist.list('mqtt-gateway-status')).toEqual([])
    const bad = await runDeskCommand(commands, 'allowlist:preview', { endpoint: 'mqtt-gateway-status', entries: ['10.0.0.0/33'] })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })

  it('copy-as-curl never re-signs a refused request: a forged one is offered as received, and still fails', async () => {
    const forged = signatureHeaderValue('gxp', 'not-the-secret', '{"gateway_id":"GW-9","status":"online"}')
    expect(await postStatus('not-the-secret')).toBe(401)
    const [entry] = await run<Array<{ id: string }>>('logs:query', { status: 401 })
    const { command, mode } = await run<{ command: string; mode: string }>('logs:curl', { id: entry!.id })
    expect(mode).toBe('as-received')
    expect(command).toContain(forged)
    const valid = signatureHeaderValue('gxp', station.secrets.info('mqtt-gateway-status').secret, '{"gateway_id":"GW-9","status":"online"}')
    expect(command).not.toContain(valid)
    const { stdout: out } = await promisify(execFile)('sh', ['-c', `${command} -s -o /dev/null -w '%{http_code}'`], { encoding: 'utf8' })
    expect(out).toBe('401')
  })

  it('exports the filtered rows as CSV and JSON', async () => {
    const key = station.secrets.info('mqtt-gateway-status').secret
    await postStatus(key)
    await postStatus('wrong')
    const csv = await run<{ content: string; mime: string }>('logs:export', { filter: { status: '4xx' }, format: 'csv' })
    const lines = csv.content.trim().split('\r\n')
    expect(lines[0]).toBe('id,endpoint,method,status,source_ip,received_at,response_time_ms,reason,count')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(',401,127.0.0.1,')
    const json = await run<{ content: string }>('logs:export', { filter: {}, format: 'json' })
    expect((JSON.parse(json.content) as unknown[]).length).toBe(2)
  })

  it('sends a signed test webhook through the real pipeline for every endpoint', async () => {
    for (const endpoint of ['mqtt-gateway-status', 'access-event', 'cvent', 'attendee-sync']) {
      const sent = await run<{ status: number; log_id: string | null }>('webhooks:send-test', { endpoint })
      expect(sent.status, endpoint).toBe(200)
      expect(sent.log_id).toMatch(/^log_\d+$/)
    }
    // The test gateway is never reported as silent.
    await station.access.sweep(Date.now() + 3600_000)
    expect(station.access.alerts.open().filter((a) => a.kind === 'gateway_offline')).toEqual([])
  })

  it('answers an overview with counters and charts', async () => {
    const key = station.secrets.info('access-event').secret
    const body = '{"reader_id":"R1","credential_value":"NOBODY"}'
    await fetch(`${base}/webhook/v1/access-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
      body,
    })
    const o = await run<{
      counters: { entries_today: number; denials_today: number; denial_rate: number }
      scans_per_minute: Array<{ denied: number }>
      requests_by_status: Array<{ status: number; count: number }>
    }>('overview:get', {})
    expect(o.counters).toEqual({ entries_today: 0, denials_today: 1, denial_rate: 1 })
    expect(o.scans_per_minute.reduce((n, b) => n + b.denied, 0)).toBe(1)
    expect(o.requests_by_status).toEqual([{ status: 200, count: 1 }])
  })

  it('says in its watermark what the overview counts: the newest decision and log entry, and refused counts', async () => {
    const empty = await run<Overview>('overview:get', {})
    expect(empty.watermark).toEqual({ decision_id: 0, log_id: 0, refused_counts: [] })
    const key = station.secrets.info('access-event').secret
    const body = '{"reader_id":"R1","credential_value":"NOBODY"}'
    const post = (signature: string): Promise<Response> =>
      fetch(`${base}/webhook/v1/access-event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signature },
        body,
      })
    expect((await post(signatureHeaderValue('gxp', key, body))).status).toBe(200)
    expect((await post('sha256=00')).status).toBe(401)
    const refused = await eventually(() => station.log.query({ status: 401 })[0])
    const o = await run<Overview>('overview:get', {})
    expect(o.watermark.decision_id).toBe(o.recent_decisions[0]!.id)
    expect(o.watermark.log_id).toBe(Number(refused.id.slice(4)))
    expect(o.watermark.refused_counts).toEqual([{ id: Number(refused.id.slice(4)), count: 1 }])
    expect(o.requests_by_status).toEqual([
      { status: 200, count: 1 },
      { status: 401, count: 1 },
    ])
  })
})
