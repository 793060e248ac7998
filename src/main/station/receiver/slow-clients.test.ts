// Slow clients over real sockets: a body trickling at 1 byte/s and 1,000 idle keep-alive sockets
// are cut off by the timeouts, promptly, and a gateway's requests meanwhile are not slowed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createStation, type Station } from '../station'
import { signatureHeaderValue } from './signature'

const SECRET = 'slow-client-secret'
// A well-formed signature (a request without one is refused before its body is read).
const TRICKLE_HEAD = `POST /webhook/v1/access-event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GxP-Signature: sha256=${'0'.repeat(64)}\r\nContent-Length: 200\r\n\r\n{`
const TIMEOUTS = { requestMs: 2000, headersMs: 1000, keepAliveMs: 1000 }
const IDLE = 1000

let dir: string
let station: Station
let port: number

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-slow-'))
  station = await createStation({ dataDir: dir, env: { GATEHOUSE_SECRET: SECRET }, config: { rateLimitPerMinute: 0 }, timeouts: TIMEOUTS })
  port = (await station.listen('127.0.0.1', 0)).port
})
afterAll(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const gatewayAgent = new Agent({ keepAlive: true, maxSockets: 1 })
let reportAt = Date.UTC(2026, 0, 1)

/** One signed gateway status over a kept-alive connection; its round trip in ms. */
function gatewayStatus(): Promise<number> {
  const body = JSON.stringify({ gateway_id: 'GW-1', status: 'online', timestamp: new Date((reportAt += 1000)).toISOString() })
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/webhook/v1/mqtt-gateway-status',
        agent: gatewayAgent,
        headers: {
          'content-type': 'application/json',
          'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body),
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function latencies(n: number): Promise<{ p50: number; p99: number; max: number }> {
  const all: number[] = []
  for (let i = 0; i < n; i++) all.push(await gatewayStatus())
  all.sort((a, b) => a - b)
  const at = (q: number): number => Math.round(all[Math.min(all.length - 1, Math.floor(q * all.length))]! * 10) / 10
  return { p50: at(0.5), p99: at(0.99), max: at(1) }
}

interface Watched {
  socket: Socket
  /** ms after `since` when the station closed it, or null while open. */
  closedAfter: number | null
  received: string
}

function watch(socket: Socket, since: number): Watched {
  const w: Watched = { socket, closedAfter: null, received: '' }
  socket.on('data', (d) => (w.received += d.toString('latin1')))
  socket.on('error', () => undefined)
  socket.on('close', () => (w.closedAfter = performance.now() - since))
  return w
}

const opened = (socket: Socket): Promise<void> => new Promise((r) => socket.once('connect', () => r()))
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('slow clients', () => {
  it('cuts off a 1 byte/s body and 1,000 idle sockets on time, without slowing a gateway', { timeout: 60_000 }, async () => {
    const baseline = await latencies(40)

    const since = performance.now()
    // A body promised at 200 bytes, sent at 1 byte/s.
    const trickle = watch(connect(port, '127.0.0.1'), since)
    await opened(trickle.socket)
    trickle.socket.write(TRICKLE_HEAD)
    const dripping = setInterval(() => trickle.socket.writable && trickle.socket.write(' '), 1000)
    // Headers at 1 byte/s.
    const slowHeaders = watch(connect(port, '127.0.0.1'), since)
    await opened(slowHeaders.socket)
    slowHeaders.socket.write('POST /webhook/v1/access-event HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    const slowHeaderDrip = setInterval(() => slowHeaders.socket.writable && slowHeaders.socket.write('a'), 1000)

    // Half never send a byte; half send one request, keep the connection alive and go quiet.
    const idle: Watched[] = []
    for (let i = 0; i < IDLE; i++) idle.push(watch(connect(port, '127.0.0.1'), since))
    await Promise.all(idle.map((w) => opened(w.socket)))
    const keptAlive = idle.slice(IDLE / 2)
    keptAlive.forEach((w) => w.socket.write('GET /webhook/v1/access-event HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'))
    while (keptAlive.some((w) => !w.received.includes('\r\n\r\n'))) await sleep(5)
    const connectedAfter = performance.now() - since

    // The gateway meanwhile, while all of them are connected.
    const during = await latencies(40)

    // Node's own sweep would take up to 30 s: wait well past our timeouts, but no longer than needed.
    const waitUntil = performance.now() + TIMEOUTS.requestMs * 5
    while (performance.now() < waitUntil && [...idle, trickle, slowHeaders].some((w) => w.closedAfter === null)) await sleep(50)
    clearInterval(dripping)
    clearInterval(slowHeaderDrip)
    const closed = idle.filter((w) => w.closedAfter !== null)
    const latest = (list: Watched[]): number => Math.max(...list.map((w) => w.closedAfter ?? Infinity))
    const fresh = idle.slice(0, IDLE / 2)
    console.log(
      JSON.stringify({
        baseline,
        during,
        idleConnectedAfterMs: Math.round(connectedAfter),
        idleClosed: closed.length,
        freshLastClosedAfterMs: Math.round(latest(fresh)),
        keptAliveLastClosedAfterMs: Math.round(latest(keptAlive)),
        keptAliveAnswered: keptAlive.filter((w) => w.received.startsWith('HTTP/1.1 405')).length,
        trickleClosedAfterMs: Math.round(trickle.closedAfter ?? -1),
        trickleAnswer: trickle.received.split('\r\n')[0],
        slowHeadersClosedAfterMs: Math.round(slowHeaders.closedAfter ?? -1),
        slowHeadersAnswer: slowHeaders.received.split('\r\n')[0],
      }),
    )

    // Every idle socket was closed by the station: those that never sent a byte at the headers
    // timeout, the kept-alive ones at the keep-alive timeout. The bounds are generous (a loaded
    // machine is slow) but far below Node's default 30 s sweep, which is what they guard against.
    expect(closed).toHaveLength(IDLE)
    expect(latest(fresh)).toBeLessThan(connectedAfter + TIMEOUTS.headersMs * 4)
    // (Node 20 closes a kept-alive socket 1 s after the Keep-Alive timeout it advertises.)
    expect(latest(keptAlive)).toBeLessThan(connectedAfter + (TIMEOUTS.keepAliveMs + 1000) * 4)
    expect(keptAlive.every((w) => w.received.startsWith('HTTP/1.1 405'))).toBe(true)
    // The trickling body: cut at the request timeout (408), not after Node's default 30 s check.
    expect(trickle.closedAfter).not.toBeNull()
    expect(trickle.closedAfter!).toBeGreaterThanOrEqual(TIMEOUTS.requestMs - 100)
    expect(trickle.closedAfter!).toBeLessThan(TIMEOUTS.requestMs * 4)
    expect(trickle.received).toMatch(/^HTTP\/1\.1 408/)
    expect(slowHeaders.closedAfter).not.toBeNull()
    expect(slowHeaders.closedAfter!).toBeLessThan(TIMEOUTS.headersMs * 4)
    // The gateway was answered every time while they were all connected (latencies() fails on
    // anything but a 200) and never waited out a slow client's timeout; how fast is npm run bench's.
    expect(during.max).toBeLessThan(TIMEOUTS.requestMs)
    // And it still is answered, now that they are gone.
    await latencies(5)
  })

  it('cuts off a 1 byte/s body on the HTTPS listener just as promptly', { timeout: 15_000 }, async () => {
    const { port: httpsPort } = await station.listenHttps('127.0.0.1', 0)
    const socket = connectTls({ host: '127.0.0.1', port: httpsPort, rejectUnauthorized: false })
    await new Promise<void>((r) => socket.once('secureConnect', () => r()))
    const since = performance.now()
    const trickle = watch(socket, since)
    socket.write(TRICKLE_HEAD)
    const dripping = setInterval(() => socket.writable && socket.write(' '), 1000)
    while (trickle.closedAfter === null && performance.now() - since < TIMEOUTS.requestMs * 5) await sleep(50)
    clearInterval(dripping)
    console.log(`HTTPS trickle closed after ${Math.round(trickle.closedAfter ?? -1)} ms: ${trickle.received.split('\r\n')[0]}`)
    expect(trickle.received).toMatch(/^HTTP\/1\.1 408/)
    expect(trickle.closedAfter!).toBeLessThan(TIMEOUTS.requestMs * 4)
  })
})
