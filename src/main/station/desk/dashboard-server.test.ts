// Browser mode over a real WebSocket: the contract, its guards (names, origin, token, cookie),
// its limits (calls in flight, unsent output) and event batching.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { request } from 'node:http'
import { createStation, type Station } from '../station'
import { createDeskCommands } from './commands'
import { startDashboard, type Dashboard, type DashboardOptions } from './dashboard-server'
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

const TOKEN = 'a-test-token-of-32-characters-ok'

async function start(options: Partial<DashboardOptions> = {}): Promise<Dashboard> {
  const commands = createDeskCommands({ station, receiverUrls: () => ['http://127.0.0.1:8787'] })
  dashboard = await startDashboard({
    hub: station.hub,
    commands,
    station,
    host: '127.0.0.1',
    port: 0,
    rendererDir,
    token: TOKEN,
    ...options,
  })
  return dashboard
}

interface Client {
  frames: ServerFrame[]
  /** Each frame's text as it came over the wire. */
  texts: string[]
  call(command: string, input: unknown): Promise<unknown>
  closed: Promise<{ code: number; reason: string }>
  ws: WebSocket
}

function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const ws = new WebSocket(url, { headers })
  const frames: ServerFrame[] = []
  const texts: string[] = []
  const waiters = new Map<number, (r: unknown) => void>()
  let id = 0
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  ws.on('message', (data) => {
    texts.push(String(data))
    const frame = JSON.parse(texts.at(-1)!) as ServerFrame
    frames.push(frame)
    if (frame.type === 'result') waiters.get(frame.id)?.(frame.result)
  })
  const client: Client = {
    frames,
    texts,
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

const base = (d: Dashboard): string => d.url.replace(/\/\?.*$/, '')
const wsUrl = (d: Dashboard, query = `?token=${TOKEN}`): string => `${base(d).replace(/^http/, 'ws')}/ws${query}`

/** A GET with the Host header of our choosing (fetch will not send a foreign one). */
function get(
  d: Dashboard,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const { port } = new URL(d.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString(), headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

interface ExportPage {
  content: string
  rows: number
  next_before: string | null
}

function seedLog(n: number): void {
  const insert = station.db.prepare(
    `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size)
     VALUES ('/webhook/v1/access-event', 'POST', 401, '10.0.0.1', ?, 1, 'signature mismatch', '{}', NULL, 0)`,
  )
  station.db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(Date.now())
  })()
}

describe('the dashboard answers only to its own names (DNS rebinding)', () => {
  it('refuses a foreign Host with 421 for the page, a static asset and the socket, token or not', async () => {
    writeFileSync(join(rendererDir, 'app.js'), 'console.log("the app")')
    const d = await start()
    const { port } = new URL(d.url)
    const cookie = (await get(d, `/?token=${TOKEN}`, { host: `127.0.0.1:${port}` })).headers['set-cookie'] as string[]
    const jar = cookie[0]!.split(';')[0]!
    for (const path of ['/', '/index.html', '/app.js', `/?token=${TOKEN}`, '/session']) {
      const res = await get(d, path, { host: `rebind.example:${port}`, cookie: jar })
      expect(res.status, path).toBe(421)
      expect(res.body).not.toContain('Gatehouse</title>')
      expect(res.body).not.toContain('the app')
    }
    expect((await get(d, '/app.js', { host: `localhost:${port}`, cookie: jar })).body).toContain('the app')
    expect((await get(d, '/', { host: `[::1]:${port}`, cookie: jar })).status).toBe(200)
    await expect(connect(wsUrl(d), { host: `rebind.example:${port}` })).rejects.toThrow(/421/)
    await expect(connect(wsUrl(d), { host: `rebind.example:${port}`, origin: `http://rebind.example:${port}` })).rejects.toThrow(/421/)
  })

  it('answers to a name an admin adds', async () => {
    const d = await start({ names: ['desk.venue.lan'] })
    const { port } = new URL(d.url)
    expect((await get(d, '/', { host: `desk.venue.lan:${port}` })).status).toBe(401)
    expect((await get(d, '/', { host: `other.venue.lan:${port}` })).status).toBe(421)
  })
})

describe('a desk session needs the token, then its cookie', () => {
  it('trades the token for an HttpOnly SameSite=Strict cookie and a redirect that drops it from the address', async () => {
    const d = await start()
    const { port } = new URL(d.url)
    const host = `127.0.0.1:${port}`
    const first = await get(d, `/?token=${TOKEN}&x=1`, { host })
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/?x=1')
    const setCookie = (first.headers['set-cookie'] as string[])[0]!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).not.toContain(TOKEN)
    const jar = setCookie.split(';')[0]!
    expect((await get(d, '/', { host, cookie: jar })).status).toBe(200)
    expect((await get(d, '/session', { host, cookie: jar })).status).toBe(200)
    // Without it: a page that says what to do (not the app), and no socket.
    const bare = await get(d, '/', { host })
    expect(bare.status).toBe(401)
    expect(bare.body).toContain('Access token required')
    expect((await get(d, '/session', { host, cookie: `${jar.split('=')[0]}=forged` })).status).toBe(401)
    await expect(connect(wsUrl(d, ''), { cookie: `${jar.split('=')[0]}=forged` })).rejects.toThrow(/401/)
    const c = await connect(wsUrl(d, ''), { cookie: jar, origin: `http://${host}` })
    expect(await c.call('projects:list', {})).toEqual({ ok: true, value: [] })
    c.ws.close()
  })

  it("voids a previous start's cookie when the token changes", async () => {
    const d = await start()
    const { port } = new URL(d.url)
    const jar = ((await get(d, `/?token=${TOKEN}`, { host: `127.0.0.1:${port}` })).headers['set-cookie'] as string[])[0]!.split(';')[0]!
    await d.close()
    const again = await start({ token: 'another-token-another-token', port: Number(port) })
    expect((await get(again, '/', { host: `127.0.0.1:${port}`, cookie: jar })).status).toBe(401)
  })
})

describe('one desk cannot stall or fill the station', () => {
  it('answers BUSY past the calls a connection may have in flight', async () => {
    const d = await start({ limits: { perClient: 2 } })
    const c = await connect(wsUrl(d))
    // All frames in one TCP write: they are read before any call gets its turn.
    const socket = (c.ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.cork()
    const calls = Array.from({ length: 12 }, () => c.call('logs:query', { limit: 10 }))
    socket.uncork()
    const results = (await Promise.all(calls)) as Array<{ ok: boolean; error?: { code: string } }>
    const busy = results.filter((r) => !r.ok)
    expect(busy.length).toBeGreaterThan(0)
    expect(busy.every((r) => r.error?.code === 'BUSY')).toBe(true)
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(2)
    // Once answered, the connection may call again.
    expect(await c.call('projects:list', {})).toEqual({ ok: true, value: [] })
    c.ws.close()
  })

  it('ignores a call whose id is not a safe integer (the answer frame is written around the id)', async () => {
    const d = await start()
    const c = await connect(wsUrl(d))
    seedLog(3)
    // 1e400 parses as Infinity: written into a frame by hand it would be invalid JSON.
    c.ws.send('{"type":"call","id":1e400,"command":"logs:query","input":{"limit":1}}')
    c.ws.send('{"type":"call","id":1.5,"command":"logs:query","input":{"limit":1}}')
    expect(await c.call('logs:query', { limit: 1 })).toMatchObject({ ok: true })
    expect(c.frames.filter((f) => f.type === 'result')).toHaveLength(1)
    c.ws.close()
  })

  it('bounds a page: logs:query past 1000 is refused, an export comes in pages', async () => {
    const d = await start()
    const c = await connect(wsUrl(d))
    expect(await c.call('logs:query', { limit: 1001 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await c.call('logs:export', { filter: { limit: 100_000 }, format: 'csv' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    seedLog(2500)
    const first = (await c.call('logs:export', { filter: {}, format: 'csv' })) as { ok: true; value: ExportPage }
    expect(first.value.rows).toBe(2000)
    expect(first.value.content.split('\r\n')[0]).toMatch(/^id,endpoint/)
    const second = (await c.call('logs:export', { filter: { before: first.value.next_before }, format: 'csv' })) as {
      ok: true
      value: ExportPage
    }
    expect(second.value).toMatchObject({ rows: 500, next_before: null })
    expect(second.value.content).not.toMatch(/^id,endpoint/)
    const ids = [...first.value.content.split('\r\n').slice(1), ...second.value.content.split('\r\n')]
      .filter(Boolean)
      .map((l) => l.split(',')[0])
    expect(new Set(ids).size).toBe(2500)
    c.ws.close()
  })

  it('answers log pages and exports from the reader thread exactly as in-process', async () => {
    seedLog(1500)
    const inProcess = await start()
    const a = await connect(wsUrl(inProcess))
    const want = [
      await a.call('logs:query', { limit: 1000, status: 401 }),
      await a.call('logs:export', { filter: { limit: 700 }, format: 'json' }),
    ]
    a.ws.close()
    await inProcess.close()
    const threaded = await start({ readerFile: station.db.name })
    const b = await connect(wsUrl(threaded))
    const got = [
      await b.call('logs:query', { limit: 1000, status: 401 }),
      await b.call('logs:export', { filter: { limit: 700 }, format: 'json' }),
    ]
    expect((got[0] as { value: unknown[] }).value).toHaveLength(1000)
    expect(got[0]).toEqual(want[0])
    // The same bytes on the wire: call 1 on each connection, framed in-process vs around the thread's JSON.
    const resultText = (c: Client): string | undefined => c.texts.find((t) => t.startsWith('{"type":"result","id":1,'))
    expect(resultText(b)).toBe(resultText(a))
    expect(threaded.readsOnThread()).toBe(true)
    expect({ ...(got[1] as { value: object }).value, filename: '' }).toEqual({ ...(want[1] as { value: object }).value, filename: '' })
    b.ws.close()
  })

  it('answers READER_UNAVAILABLE for reads held by a reader thread that dies, then serves the next read from a new one', async () => {
    seedLog(3000)
    const d = await start({ readerFile: station.db.name, limits: { perClient: 64 } })
    const c = await connect(wsUrl(d))
    expect(await c.call('logs:query', { limit: 1 })).toMatchObject({ ok: true })
    const first = d.reader!.thread()!
    // Twenty full pages: the thread is still on the first few when the first answer arrives.
    let answered = 0
    let killed = Promise.resolve()
    const calls = Array.from({ length: 20 }, () =>
      c.call('logs:query', { limit: 1000 }).then((r) => {
        if (++answered === 1) killed = d.reader!.stopThread()
        return r as { ok: boolean; value?: unknown[]; error?: { code: string; message: string } }
      }),
    )
    const results = await Promise.all(calls)
    await killed
    const failed = results.filter((r) => !r.ok)
    expect(failed.length).toBeGreaterThan(0)
    for (const r of failed) {
      expect(r.error?.code).toBe('READER_UNAVAILABLE')
      expect(r.error?.message).toMatch(/try again/)
    }
    for (const r of results.filter((r) => r.ok)) expect(r.value).toHaveLength(1000)
    // The desk calls again: a new thread answers, and the station still serves everything else.
    const again = (await c.call('logs:query', { limit: 1000 })) as { ok: boolean; value: unknown[] }
    expect(again.ok).toBe(true)
    expect(again.value).toHaveLength(1000)
    expect(d.readsOnThread()).toBe(true)
    expect(d.reader!.thread()!.tid).not.toBe(first.tid)
    expect(await c.call('projects:list', {})).toEqual({ ok: true, value: [] })
    c.ws.close()
  })

  it("takes the desks' reads in turn: one desk's read does not wait behind another's flood", async () => {
    seedLog(3000)
    const d = await start({ readerFile: station.db.name, limits: { perClient: 64 } })
    const flooder = await connect(wsUrl(d))
    const other = await connect(wsUrl(d))
    expect(await other.call('logs:query', { limit: 1 })).toMatchObject({ ok: true })
    const order: string[] = []
    let first!: () => void
    const firstAnswered = new Promise<void>((resolve) => (first = resolve))
    const flood = Array.from({ length: 16 }, (_, i) =>
      flooder.call('logs:query', { limit: 1000 }).then(() => {
        order.push(`flood-${i}`)
        first()
      }),
    )
    await firstAnswered
    await other.call('logs:query', { limit: 1 }).then(() => order.push('other'))
    await Promise.all(flood)
    // In turn: the other desk's read is answered after at most one more flood page, not after all of them.
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('flood-15'))
    expect(order.indexOf('other')).toBeLessThanOrEqual(3)
    flooder.ws.close()
    other.ws.close()
  })

  it('disconnects a client that does not read its answers, with a reason', async () => {
    seedLog(3000)
    const d = await start({ limits: { clientBufferedBytes: 256 * 1024, perClient: 64 } })
    const c = await connect(wsUrl(d))
    const socket = (c.ws as unknown as { _socket: import('node:net').Socket })._socket
    socket.pause()
    expect(d.clients()).toBe(1)
    // Never read: each answer is ~200 KiB; the station must drop the client, not hold its output.
    for (let round = 0; d.clients() > 0 && round < 200; round++) {
      for (let i = 0; i < 8; i++) void c.call('logs:query', { limit: 1000 })
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(d.clients()).toBe(0)
    socket.resume()
    const closed = await c.closed
    expect([1013, 1006]).toContain(closed.code)
  })
})

describe('browser-mode dashboard server', () => {
  it('serves the dashboard with a strict CSP', async () => {
    const d = await start()
    const res = await fetch(d.url, { redirect: 'manual' })
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    expect(res.status).toBe(303)
    const page = await fetch(`${base(d)}/`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await page.text()).toContain('<title>Gatehouse</title>')
  })

  it('refuses a wrong token, and generates a token when none is given', async () => {
    const d = await start({ token: undefined })
    expect(d.token).toMatch(/^[0-9a-f]{32}$/)
    const wrong = await fetch(`${base(d)}/?token=${'0'.repeat(32)}`, { redirect: 'manual' })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('set-cookie')).toBeNull()
    expect(await wrong.text()).toContain('Access token required')
  })

  it('refuses a given token too short to be one', async () => {
    await expect(start({ token: 'short' })).rejects.toThrow(/at least 16/)
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

    // Each connection is a desk session: an officer until unlocked, with a name before any action.
    expect(await c.call('alerts:acknowledge', { id: 1, by: 'Mallory' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_REQUIRED' } })
    expect(await c.call('session:identify', { operator: 'Kim' })).toMatchObject({ ok: true, value: { operator: 'Kim', role: 'officer' } })
    expect(await c.call('allowlist:add', { endpoint: 'cvent', entry: '10.0.0.1' })).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_REQUIRED' },
    })
    expect(await c.call('alerts:acknowledge', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await c.call('shell:exec', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
    c.ws.close()
  })

  it('refuses a WebSocket opened by a page of another origin, even with the token', async () => {
    const d = await start()
    await expect(connect(wsUrl(d), { origin: 'http://evil.example' })).rejects.toThrow(/403/)
    // A rebinding page's origin names the station's address but a port of its own choosing.
    await expect(connect(wsUrl(d), { origin: 'http://127.0.0.1:1' })).rejects.toThrow(/403/)
    const own = await connect(wsUrl(d), { origin: base(d) })
    expect(await own.call('projects:list', {})).toEqual({ ok: true, value: [] })
    own.ws.close()
  })

  it('requires the access token on loopback too', async () => {
    const d = await start()
    await expect(connect(wsUrl(d, ''))).rejects.toThrow(/401/)
    await expect(connect(wsUrl(d, '?token=wrong-token-wrong-token'))).rejects.toThrow(/401/)
    const admitted = await connect(wsUrl(d))
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

  it('gives every client each event from when it joined, once, however the shared batches fall', async () => {
    const d = await start({ flushIntervalMs: 300 })
    const key = station.secrets.info('access-event').secret
    const scan = (i: number): Promise<unknown> => {
      const body = JSON.stringify({ reader_id: 'R1', credential_value: `BADGE-${i}` })
      return station.receiver.inject({
        method: 'POST',
        url: '/webhook/v1/access-event',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
        payload: body,
      })
    }
    const badges = (c: Client): string[] =>
      c.frames
        .flatMap((f) => (f.type === 'events' ? f.events : []))
        .filter((e) => e.event === 'access:decided')
        .map((e) => (e.payload as { credential_value: string }).credential_value)
    const a = await connect(wsUrl(d))
    // Most likely still in an unflushed batch when b joins: b must not get them.
    for (let i = 0; i < 20; i++) await scan(i)
    const b = await connect(wsUrl(d))
    for (let i = 20; i < 40; i++) await scan(i)
    for (let i = 0; i < 60 && (badges(a).length < 40 || badges(b).length < 20); i++) await new Promise((r) => setTimeout(r, 50))
    expect(badges(a)).toEqual(Array.from({ length: 40 }, (_, i) => `BADGE-${i}`))
    expect(badges(b)).toEqual(Array.from({ length: 20 }, (_, i) => `BADGE-${i + 20}`))
    a.ws.close()
    b.ws.close()
  })
})
