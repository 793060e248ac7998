// Browser mode over a real WebSocket: the contract, its guards (origin, token) and event batching.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createStation, type Station } from '../station'
import { createDeskCommands } from './commands'
import { startDashboard, isLoopback, type Dashboard } from './dashboard-server'
import { signatureHeaderValue } from '../receiver/signature'
import type { ServerFrame } from '../../../shared/contract'

let dir: string
let rendererDir: string
let station: Station
let dashboard: Dashboard | null

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-dash-'))
  rendererDir = mkdtempSync(join(tmpdir(), 'gatehouse-renderer-'))
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Gatehouse</title>')
  station = await createStation({ dataDir: dir })
  dashboard = null
})

afterEach(async () => {
  await dashboard?.close()
  await station.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(rendererDir, { recursive: true, force: true })
})

async function start(token?: string | null): Promise<Dashboard> {
  const commands = createDeskCommands({ station, receiverUrls: () => ['http://127.0.0.1:8787'] })
  dashboard = await startDashboard({ hub: station.hub, commands, host: '127.0.0.1', port: 0, rendererDir, token })
  return dashboard
}

interface Client {
  frames: ServerFrame[]
  call(command: string, input: unknown): Promise<unknown>
  closed: Promise<{ code: number; reason: string }>
  ws: WebSocket
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers })
  const frames: ServerFrame[] = []
  const waiters = new Map<number, (r: unknown) => void>()
  let id = 0
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame
    frames.push(frame)
    if (frame.type === 'result') waiters.get(frame.id)?.(frame.result)
  })
  const client: Client = {
    frames,
    ws,
    closed,
    call: (command, input) =>
      new Promise((resolve) => {
        const n = ++id
        waiters.set(n, resolve)
        ws.send(JSON.stringify({ type: 'call', id: n, command, input }))
      }),
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('error', reject)
    void closed.then(() => resolve(client))
  })
}

const wsUrl = (d: Dashboard, query = ''): string => `${d.url.replace(/^http/, 'ws').replace(/\/(\?.*)?$/, '')}/ws${query}`

describe('browser-mode dashboard server', () => {
  it('serves the dashboard with a strict CSP', async () => {
    const d = await start()
    const res = await fetch(d.url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await res.text()).toContain('<title>Gatehouse</title>')
  })

  it('answers contract calls with results, validates input and refuses unknown commands', async () => {
    const d = await start()
    const c = await connect(wsUrl(d))
    const list = (await c.call('webhooks:list', {})) as { ok: true; value: Array<{ endpoint: string; secret: { masked: string } }> }
    expect(list.ok).toBe(true)
    expect(list.value.map((e) => e.endpoint)).toEqual(['mqtt-gateway-status', 'access-event', 'cvent', 'attendee-sync'])
    const secret = station.secrets.info('access-event').secret
    const masked = list.value[1]!.secret.masked
    expect(masked).not.toContain(secret.slice(4, -4))
    expect(masked.startsWith(secret.slice(0, 4))).toBe(true)

    expect(await c.call('allowlist:add', { endpoint: 'cvent', entry: '127.1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(await c.call('alerts:acknowledge', { id: 'x', by: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await c.call('shell:exec', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
    c.ws.close()
  })

  it('refuses a WebSocket opened by a page of another origin', async () => {
    const d = await start()
    const c = await connect(wsUrl(d), { origin: 'http://evil.example' })
    expect((await c.closed).code).toBe(1008)
    expect(c.frames.some((f) => f.type === 'hello')).toBe(false)
  })

  it('requires the access token when one is set, and generates one off loopback', async () => {
    expect(isLoopback('127.0.0.1')).toBe(true)
    expect(isLoopback('0.0.0.0')).toBe(false)
    const d = await start('s3cret-token')
    const refused = await connect(wsUrl(d))
    expect((await refused.closed).code).toBe(1008)
    const admitted = await connect(wsUrl(d, '?token=s3cret-token'))
    expect(await admitted.call('projects:list', {})).toEqual({ ok: true, value: [] })
    admitted.ws.close()
  })

  it('pushes every event, batched rather than one frame per event', async () => {
    const d = await start()
    const c = await connect(wsUrl(d))
    const key = station.secrets.info('access-event').secret
    const scans = 60
    await Promise.all(
      Array.from({ length: scans }, (_, i) => {
        const body = JSON.stringify({ reader_id: 'R1', credential_value: `BADGE-${i}` })
        return station.receiver.inject({
          method: 'POST',
          url: '/webhook/v1/access-event',
          headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
          payload: body,
        })
      }),
    )
    const decided = (): number =>
      c.frames.flatMap((f) => (f.type === 'events' ? f.events : [])).filter((e) => e.event === 'access:decided').length
    for (let i = 0; i < 50 && decided() < scans; i++) await new Promise((r) => setTimeout(r, 50))
    expect(decided()).toBe(scans)
    const eventFrames = c.frames.filter((f) => f.type === 'events').length
    expect(eventFrames).toBeLessThan(scans / 4)
    c.ws.close()
  })
})
