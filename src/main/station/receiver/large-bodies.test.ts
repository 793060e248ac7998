// Memory bounded before the signature is known, over real sockets: a body over 1 MiB is read only
// while one of the large-body slots is free — the others get 503 with Retry-After, before their
// body is read, while small requests go on — and `Expect: 100-continue` gets its 413 (or 403,
// 401…) before any `100 Continue`. (The 24 × 63 MiB flood and its RSS: large-bodies.stress.ts.)
import { afterEach, describe, expect, it } from 'vitest'
import { connect, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import { request, type ClientRequest } from 'node:http'
import { eventually, post, signGxp, startStation, type RunningStation } from '../../test-support/station'

const SYNC_PATH = '/webhook/v1/attendee-sync'
const MiB = 1024 * 1024
let s: RunningStation
afterEach(() => s.close())

interface Answer {
  status: number
  body: string
}

/** A large upload that sends its headers and `sent` bytes, then waits: holds a slot if it got one. */
function holdUpload(size: number, sent: number) {
  let answer: Answer | null = null
  const req: ClientRequest = request({
    host: '127.0.0.1',
    port: Number(new URL(s.url).port),
    path: SYNC_PATH,
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(size), 'x-gxp-signature': `sha256=${'0'.repeat(64)}` },
  })
  req.on('response', (res) => {
    const chunks: Buffer[] = []
    res.on('data', (c: Buffer) => chunks.push(c))
    res.on('end', () => (answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }))
  })
  req.on('error', () => undefined)
  req.write(Buffer.alloc(sent, 0x20))
  return { req, answer: () => answer }
}

/** A chunked upload (no Content-Length) of `size` bytes with a well-formed, wrong signature. */
function chunkedUpload(size: number): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: Number(new URL(s.url).port),
      path: SYNC_PATH,
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-gxp-signature': `sha256=${'2'.repeat(64)}` },
    })
    req.on('response', (res) => {
      res.resume()
      resolve({ status: res.statusCode ?? 0 })
    })
    req.on('error', reject)
    for (let sent = 0; sent < size; sent += 256 * 1024) req.write(Buffer.alloc(256 * 1024, 0x20))
    req.end()
  })
}

describe('large bodies', () => {
  it('two at a time: a third gets 503 + Retry-After before its body is read; small requests go on; a freed slot takes the next', async () => {
    s = await startStation({ largeBodySlots: 2 })
    const a = holdUpload(8 * MiB, 64 * 1024)
    const b = holdUpload(8 * MiB, 64 * 1024)
    await eventually(() => s.station.largeBodiesReading() === 2)
    const third = await post(s.url, SYNC_PATH, Buffer.alloc(2 * MiB, 0x20), { 'x-gxp-signature': `sha256=${'1'.repeat(64)}` })
    expect(third.status).toBe(503)
    expect(third.headers['retry-after']).toBe('5')
    expect(JSON.parse(third.body)).toEqual({
      error: 'Service Unavailable',
      message: 'The station cannot record this request right now; nothing was applied',
      retry_after: 5,
    })
    // A chunked body meets the same wall once it passes 1 MiB.
    expect((await chunkedUpload(3 * MiB)).status).toBe(503)
    expect(s.station.largeBodiesReading()).toBe(2)
    // Small requests are not held up.
    const small = JSON.stringify({ team_slug: 'venue', project_slug: 'expo', attendees: [] })
    expect(
      (await post(s.url, SYNC_PATH, small, { 'x-gxp-signature': signGxp(s.station.secrets.info('attendee-sync').secret, small) })).status,
    ).toBe(200)
    expect(a.answer()).toBeNull()
    expect(b.answer()).toBeNull()

    // One held upload goes away: its slot is free again, and a signed large sync goes through.
    a.req.destroy()
    await eventually(() => s.station.largeBodiesReading() === 1)
    const rows = Array.from({ length: 12_000 }, (_, i) => ({
      external_id: `E-${i}`,
      first_name: 'Ada',
      last_name: `Lovelace ${i}`,
      credential_value: `BADGE-${i}-${'x'.repeat(40)}`,
    }))
    const big = JSON.stringify({ team_slug: 'venue', project_slug: 'expo', attendees: rows })
    expect(Buffer.byteLength(big)).toBeGreaterThan(MiB)
    const key = s.station.secrets.info('attendee-sync').secret
    expect((await post(s.url, SYNC_PATH, big, { 'x-gxp-signature': signGxp(key, big) })).status).toBe(200)
    b.req.destroy()
    await eventually(() => s.station.largeBodiesReading() === 0)
  })
})

/** Raw bytes on a socket: the first thing the station answers, before any body is sent. */
function firstAnswer(head: string): Promise<{ text: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(s.url).port), '127.0.0.1')
    let text = ''
    socket.on('data', (d) => {
      text += d.toString('latin1')
      if (text.includes('\r\n\r\n')) resolve({ text, socket })
    })
    socket.on('error', reject)
    socket.write(head)
  })
}

describe('Expect: 100-continue', () => {
  const head = (length: number, extra = '') =>
    `POST ${SYNC_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\nX-GxP-Signature: sha256=${'0'.repeat(64)}\r\n${extra}\r\n`

  it('a Content-Length over the limit is answered 413 at once, never 100 Continue', async () => {
    s = await startStation()
    const { text, socket } = await firstAnswer(head(65 * MiB))
    socket.destroy()
    expect(text).toMatch(/^HTTP\/1\.1 413 /)
    expect(text).not.toContain('100 Continue')
    expect(text.toLowerCase()).toContain('connection: close')
  })

  it('the same on the HTTPS listener', async () => {
    s = await startStation()
    const { port } = await s.station.listenHttps('127.0.0.1', 0)
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => socket.write(head(65 * MiB)))
      let got = ''
      socket.on('data', (d: Buffer) => {
        got += d.toString('latin1')
        if (got.includes('\r\n\r\n')) {
          socket.destroy()
          resolve(got)
        }
      })
      socket.on('error', reject)
    })
    expect(text).toMatch(/^HTTP\/1\.1 413 /)
  })

  it('a refused source is answered 403 at once; a request the station wants gets 100, then its answer', async () => {
    s = await startStation()
    s.station.allowlist.add('attendee-sync', '127.0.0.1')
    s.station.reloadAllowlist()
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ port: Number(new URL(s.url).port), host: '127.0.0.1', localAddress: '127.0.0.2' })
      let text = ''
      socket.on('data', (d) => {
        text += d.toString('latin1')
        if (text.includes('\r\n\r\n')) resolve(text)
      })
      socket.write(head(10 * MiB))
    })
    expect(refused).toMatch(/^HTTP\/1\.1 403 /)

    const body = JSON.stringify({ team_slug: 'venue', project_slug: 'expo', attendees: [] })
    const key = s.station.secrets.info('attendee-sync').secret
    const wanted = `POST ${SYNC_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nX-GxP-Signature: ${signGxp(key, body)}\r\nConnection: close\r\n\r\n`
    const { text, socket } = await firstAnswer(wanted)
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n$/)
    const rest = await new Promise<string>((resolve) => {
      let got = ''
      socket.on('data', (d) => (got += d.toString('latin1')))
      socket.on('end', () => resolve(got))
      socket.write(body)
    })
    expect(rest).toMatch(/^HTTP\/1\.1 200 /)
    expect(rest).toContain('"success":true')
  })
})
