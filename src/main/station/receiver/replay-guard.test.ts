// The replay guard and the "late" label, over the real receiver on a real socket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createStation, type Station } from '../station'
import { signatureHeaderValue } from './signature'
import { createDeskCommands, runDeskCommand, type DeskCommands } from '../desk/commands'
import { commands } from '../../cli/commands'
import type { EndpointName } from '../../../shared/webhooks'

let dir: string
let station: Station
let base: string
let desk: DeskCommands

async function start(): Promise<void> {
  station = await createStation({ dataDir: dir }) // the production watch interval (500 ms)
  base = `http://127.0.0.1:${(await station.listen('127.0.0.1', 0)).port}`
  desk = createDeskCommands({ station, receiverUrls: () => [base] })
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-replay-'))
  await start()
})
afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

async function post(
  endpoint: EndpointName,
  body: string,
  key = station.secrets.info(endpoint).secret,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
  const res = await fetch(`${base}/webhook/v1/${endpoint}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [scheme === 'cvent' ? 'x-cvent-signature' : 'x-gxp-signature']: signatureHeaderValue(scheme, key, body),
    },
    body,
  })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

const iso = (offsetSeconds: number): string => new Date(Date.now() + offsetSeconds * 1000).toISOString()
const scan = (credential: string, offsetSeconds = 0): string =>
  JSON.stringify({ reader_id: 'R-1', credential_value: credential, timestamp: iso(offsetSeconds) })
const guard = async (endpoint: EndpointName, enabled: boolean, window_seconds?: number): Promise<void> => {
  const r = await runDeskCommand(desk, 'replay:set', { endpoint, enabled, window_seconds })
  if (!r.ok) throw new Error(r.error.message)
}
const latestLog = async () => {
  await new Promise((r) => setTimeout(r, 30)) // refusals are logged just after the answer
  return station.log.query({ limit: 1 })[0]!
}
const until = async (check: () => Promise<boolean>, ms = 10_000): Promise<number> => {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
  return Date.now() - t0
}

describe('replay guard', () => {
  it('is off by default: the doc’s 2024 example is accepted, twice, and labelled late', async () => {
    const doc = '{"reader_id":"READER-001","credential_value":"ABC123456","scan_type":"barcode","timestamp":"2024-01-15T14:30:00Z"}'
    expect((await post('access-event', doc)).status).toBe(200)
    expect((await post('access-event', doc)).status).toBe(200)
    const entry = await latestLog()
    expect(entry).toMatchObject({ status: 200, late: true })
    expect(station.log.get(entry.id)).toMatchObject({ sent_at: '2024-01-15T14:30:00.000Z', late: true })
    // On time is not late; a little behind (under 300 s) is not either.
    expect((await post('access-event', scan('ON-TIME', -120))).status).toBe(200)
    expect((await latestLog()).late).toBe(false)
  })

  it('refuses identical bytes and out-of-window timestamps with 409, logged with the reason', async () => {
    await guard('access-event', true)
    const body = scan('C-1')
    expect((await post('access-event', body)).status).toBe(200)
    const again = await post('access-event', body)
    expect(again.status).toBe(409)
    expect(again.json).toMatchObject({
      error: 'Replay refused',
      message: expect.stringMatching(/already received/),
      errors: { body: [expect.stringMatching(/^Identical to a request received at /)] },
    })
    expect(await latestLog()).toMatchObject({
      status: 409,
      reason: expect.stringMatching(/^replay guard: identical to a request received \d+ s ago$/),
    })

    const stale = await post('access-event', scan('C-2', -301))
    expect(stale.status).toBe(409)
    expect(stale.json.errors).toEqual({ timestamp: [expect.stringMatching(/^Must be within 300 seconds of the station's clock/)] })
    expect(await latestLog()).toMatchObject({
      status: 409,
      late: true,
      reason: expect.stringMatching(/timestamp .* is 5 min behind the station clock \(window ±300 s\)/),
    })
    expect((await post('access-event', scan('C-3', 400))).status).toBe(409) // ahead of the clock
    expect((await post('access-event', scan('C-4', -290))).status).toBe(200)
    const missing = await post('access-event', '{"reader_id":"R-1","credential_value":"C-5"}')
    expect(missing).toMatchObject({ status: 409, json: { errors: { timestamp: [expect.stringMatching(/timestamp is required/)] } } })
    // Nothing refused reached the decisions.
    expect(
      station.access.decisions
        .recent(0, 100)
        .map((d) => d.credential_value)
        .sort(),
    ).toEqual(['C-1', 'C-4'])
    // Other endpoints keep their own setting (off).
    const gw = JSON.stringify({ gateway_id: 'GW-1', status: 'online', timestamp: '2024-01-15T10:31:00Z' })
    expect((await post('mqtt-gateway-status', gw)).status).toBe(200)
    expect((await post('mqtt-gateway-status', gw)).status).toBe(200)
  })

  it('checks the signature first: a bad one is 401, and does not make the genuine request a replay', async () => {
    await guard('access-event', true)
    const body = scan('C-SIG')
    const forged = await post('access-event', body, 'not-the-secret')
    expect(forged.status).toBe(401)
    expect((await post('access-event', scan('C-OLD', -3600), 'not-the-secret')).status).toBe(401)
    expect((await post('access-event', body)).status).toBe(200)
    expect((await post('access-event', body)).status).toBe(409)
  })

  it('guards attendee-sync (no timestamp in its body) by identical bytes only', async () => {
    await guard('attendee-sync', true)
    const sync = JSON.stringify({ project_slug: 'p', team_slug: 't', attendees: [{ external_id: 'E1', first_name: 'A', last_name: 'B' }] })
    expect((await post('attendee-sync', sync)).status).toBe(200)
    expect((await post('attendee-sync', sync)).status).toBe(409)
  })

  it('lets the desk’s test webhook through on every endpoint, again and again', async () => {
    for (const endpoint of ['mqtt-gateway-status', 'access-event', 'cvent', 'attendee-sync'] as const) {
      await guard(endpoint, true)
      for (let i = 0; i < 2; i++) {
        expect(await runDeskCommand(desk, 'webhooks:send-test', { endpoint })).toMatchObject({ ok: true, value: { status: 200 } })
        await new Promise((r) => setTimeout(r, 2)) // distinct timestamps
      }
    }
  })

  it('takes a CLI change (its own connection) within a second, window included', async () => {
    const run = (args: string[], values: Record<string, string> = {}) =>
      commands.replay!({ args, values, dataDir: dir, json: true, out: () => undefined, err: () => undefined })
    expect((await post('access-event', scan('W-1', -90))).status).toBe(200)
    expect(await run(['on', 'access-event'], { window: '60' })).toBe(0)
    await until(async () => (await post('access-event', scan(`W-${Math.random()}`, -90))).status === 409)
    expect(station.replay.config()['access-event']).toEqual({ enabled: true, window_seconds: 60 })
    expect((await post('access-event', scan('W-2', -30))).status).toBe(200)
    expect(await run(['off', 'all'])).toBe(0)
    await until(async () => (await post('access-event', scan(`W-${Math.random()}`, -90))).status === 200)
  })

  it('works from the gatehouse command line (argument parsing included)', async () => {
    const cli = resolve(__dirname, '../../cli/main.ts')
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cli, 'replay', 'on', 'cvent', '--window', '120', '--data-dir', dir, '--json'],
      { encoding: 'utf8' },
    )
    expect(JSON.parse(stdout)).toMatchObject({ cvent: { enabled: true, window_seconds: 120 }, 'access-event': { enabled: false } })
    await until(async () => station.replay.config().cvent.enabled)
    const event = JSON.stringify({
      event_type: 'registration.created',
      event_id: 'evt_1',
      data: { registration_id: 'reg_1' },
      timestamp: iso(-200),
    })
    expect((await post('cvent', event)).status).toBe(409)
  })

  it('remembers what it accepted across a restart', async () => {
    await guard('access-event', true)
    const body = scan('R-1')
    expect((await post('access-event', body)).status).toBe(200)
    await station.close()
    await start()
    expect(station.replay.config()['access-event'].enabled).toBe(true)
    expect((await post('access-event', body)).status).toBe(409)
  })
})
