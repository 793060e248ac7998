// The receiver over real sockets, where the client's address and the bytes on the wire matter:
// the doc's curl recipe, allowlists (127.0.0.2 plays "another host": Linux answers on all of
// 127.0.0.0/8), spoofed forwarding headers, IPv4-mapped IPv6, oversized bodies and rate limits.
import { afterEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { request, type ClientRequest } from 'node:http'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { openCore } from '../station'
import { createDeskCommands, runDeskCommand } from '../desk/commands'
import type { EndpointName } from '../../../shared/webhooks'
import { eventually, post, signGxp, startStation, type RunningStation, type StartOptions } from '../../test-support/station'

const run = promisify(execFile)
const STATUS_PATH = '/webhook/v1/mqtt-gateway-status'
const MINIMAL = '{"gateway_id":"GW-001","status":"online"}'

const open: RunningStation[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})

async function start(options: StartOptions = {}): Promise<RunningStation> {
  const s = await startStation(options)
  open.push(s)
  return s
}

/** A signed post of `body` to `endpoint` from `localAddress`. */
function postSigned(s: RunningStation, endpoint: EndpointName, body: string, from = '127.0.0.1', headers: Record<string, string> = {}) {
  const secret = s.station.secrets.info(endpoint).secret
  return post(s.url, `/webhook/v1/${endpoint}`, body, { 'x-gxp-signature': signGxp(secret, body), ...headers }, { localAddress: from })
}

const FORBIDDEN = '{"error":"Forbidden","message":"The source address is not allowed for this endpoint"}'
const TOO_LARGE = '{"error":"Payload Too Large","message":"The request body exceeds the limit for this endpoint"}'

async function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(0, '::', () => server.close(() => resolve(true)))
  })
}

describe("the doc's curl + openssl recipe", () => {
  it('works byte for byte against the station', async () => {
    const s = await start()
    // The doc's "Testing Webhooks → Using cURL" lines; only the secret and the host are this station's.
    const recipe = `
PAYLOAD='{"gateway_id":"GW-001","status":"online"}'
SIGNATURE=$(echo -n "$PAYLOAD" | openssl dgst -sha256 -hmac "$SECRET" | cut -d' ' -f2)

curl -X POST "$BASE/webhook/v1/mqtt-gateway-status" \\
-H "Content-Type: application/json" \\
-H "X-GxP-Signature: sha256=$SIGNATURE" \\
-d "$PAYLOAD" -sS -w ' %{http_code}'`
    const { stdout } = await run('bash', ['-c', recipe], {
      env: { PATH: process.env.PATH, SECRET: s.station.secrets.info('mqtt-gateway-status').secret, BASE: s.url },
      encoding: 'utf8',
    })
    expect(stdout).toBe('{"success":true,"message":"Status updated"} 200')
    const entry = await eventually(() => s.station.log.query({ endpoint: 'mqtt-gateway-status' })[0])
    expect(entry).toMatchObject({ status: 200, method: 'POST', source_ip: '127.0.0.1' })
    expect(s.station.log.get(entry.id)?.body).toBe(MINIMAL)
  })

  it('an openssl signature, computed in a child process, verifies over node:http', async () => {
    const s = await start()
    const secret = s.station.secrets.info('mqtt-gateway-status').secret
    const child = execFile('openssl', ['dgst', '-sha256', '-hmac', secret])
    child.stdin!.end(MINIMAL)
    const out = await new Promise<string>((resolve, reject) => {
      let text = ''
      child.stdout!.on('data', (d: Buffer) => (text += d.toString()))
      child.on('error', reject)
      child.on('close', () => resolve(text))
    })
    const signature = out.trim().split(' ').at(-1)!
    expect(signature).toMatch(/^[0-9a-f]{64}$/)
    const res = await post(s.url, STATUS_PATH, MINIMAL, { 'x-gxp-signature': `sha256=${signature}` })
    expect(res.status).toBe(200)
    expect(res.body).toBe('{"success":true,"message":"Status updated"}')
  })
})

describe('allowlists over real sockets', () => {
  it('an entry for 127.0.0.1 admits 127.0.0.1 and refuses 127.0.0.2, on that endpoint only', async () => {
    const s = await start()
    s.station.allowlist.add('mqtt-gateway-status', '127.0.0.1', 'desk')
    s.station.reloadAllowlist()
    const other = await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2')
    expect(other.status).toBe(403)
    expect(other.body).toBe(FORBIDDEN)
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.1')).status).toBe(200)
    // Allowlists are per endpoint: access-event has none, so any source may post there.
    expect((await postSigned(s, 'access-event', '{"reader_id":"R-1","credential_value":"C-1"}', '127.0.0.2')).status).toBe(200)
    // The source check comes before the signature: an unsigned request from outside is 403, not 401.
    expect((await post(s.url, STATUS_PATH, MINIMAL, {}, { localAddress: '127.0.0.2' })).status).toBe(403)
  })

  it('a CIDR range 127.0.0.0/30 admits .1–.3 and refuses .4 and .5', async () => {
    const s = await start()
    s.station.allowlist.add('mqtt-gateway-status', '127.0.0.0/30')
    s.station.reloadAllowlist()
    for (const from of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
      expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, from)).status, from).toBe(200)
    }
    for (const from of ['127.0.0.4', '127.0.0.5']) {
      expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, from)).status, from).toBe(403)
    }
  })

  it('ignores X-Forwarded-For and X-Real-IP, both to get in and to be shut out', async () => {
    const s = await start()
    s.station.allowlist.add('mqtt-gateway-status', '127.0.0.1')
    s.station.reloadAllowlist()
    const spoofIn = { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1', forwarded: 'for=127.0.0.1' }
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2', spoofIn)).status).toBe(403)
    const spoofOut = { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' }
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.1', spoofOut)).status).toBe(200)
    // The log records the socket's address, never the claimed one.
    const entries = await eventually(() => {
      const list = s.station.log.query({ endpoint: 'mqtt-gateway-status' })
      return list.length === 2 && list
    })
    expect(entries.map((e) => [e.status, e.source_ip])).toEqual([
      [200, '127.0.0.1'],
      [403, '127.0.0.2'],
    ])
  })

  it('matches an IPv4-mapped IPv6 client against IPv4 entries', async (ctx) => {
    if (!(await ipv6Available())) ctx.skip('this machine has no IPv6: cannot listen on "::" to receive a mapped IPv4 client')
    const s = await start({ host: '::' })
    const port = new URL(s.url).port
    const mapped = `http://[::ffff:127.0.0.1]:${port}`
    s.station.allowlist.add('mqtt-gateway-status', '127.0.0.1')
    s.station.reloadAllowlist()
    const secret = s.station.secrets.info('mqtt-gateway-status').secret
    const res = await post(mapped, STATUS_PATH, MINIMAL, { 'x-gxp-signature': signGxp(secret, MINIMAL) })
    expect(res.status).toBe(200)
    const entry = await eventually(() => s.station.log.query({ endpoint: 'mqtt-gateway-status' })[0])
    expect(entry.source_ip).toBe('127.0.0.1')

    // And the other way round: the mapped client is refused when only another IPv4 host is allowed.
    s.station.allowlist.replace('mqtt-gateway-status', [{ entry: '127.0.0.2' }])
    s.station.reloadAllowlist()
    const refused = await post(mapped, STATUS_PATH, MINIMAL, { 'x-gxp-signature': signGxp(secret, MINIMAL) })
    expect(refused.status).toBe(403)
  })

  it("a change made by another process's connection takes effect within a second, no restart", async () => {
    const s = await start()
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2')).status).toBe(200)

    // A second better-sqlite3 connection to the same file, as the CLI opens it.
    const other = openCore({ dataDir: s.dataDir, env: {} })
    try {
      other.allowlist.add('mqtt-gateway-status', '127.0.0.1')
    } finally {
      other.close()
    }
    // The station looks twice a second; how soon exactly is not this test's business (a loaded
    // machine is slow), only that it happens without a restart.
    await eventually(async () => (await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2')).status === 403, 10_000)
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.1')).status).toBe(200)

    const again = openCore({ dataDir: s.dataDir, env: {} })
    try {
      expect(again.allowlist.remove('mqtt-gateway-status', '127.0.0.1/32', { open: true })).toBe(true)
    } finally {
      again.close()
    }
    await eventually(async () => (await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2')).status === 200, 10_000)
  })
})

describe('atomic allowlist edits', () => {
  it('replacing the only entry (desk or another process) never lets in a host that both lists refuse', { timeout: 60_000 }, async () => {
    const s = await start({ config: { refusalRateLimitPerMinute: 0 }, watchIntervalMs: 50 })
    s.station.allowlist.replace('mqtt-gateway-status', [{ entry: '127.0.0.2' }])
    s.station.reloadAllowlist()
    const commands = createDeskCommands({ station: s.station, receiverUrls: () => [s.url] })
    // Hosts that neither the old nor the new list allows keep knocking while the list changes.
    let stop = false
    const seen: number[] = []
    const knock = async (from: string): Promise<void> => {
      while (!stop) seen.push((await postSigned(s, 'mqtt-gateway-status', MINIMAL, from)).status)
    }
    const knockers = [knock('127.0.0.3'), knock('127.0.0.5'), knock('127.0.0.3'), knock('127.0.0.5')]
    for (let i = 0; i < 12; i++) {
      const next = i % 2 === 0 ? '127.0.0.4' : '127.0.0.2'
      if (i % 4 < 2) {
        const r = await runDeskCommand(commands, 'allowlist:set', { endpoint: 'mqtt-gateway-status', entries: [{ entry: next }] })
        expect(r).toMatchObject({ ok: true, value: [{ entry: next }] })
      } else {
        // As `gatehouse allowlist set` does it: its own connection, one commit; the station reads it back.
        const other = openCore({ dataDir: s.dataDir, env: {} })
        try {
          await other.queue.enqueue(() => other.allowlist.replace('mqtt-gateway-status', [{ entry: next }]))
        } finally {
          other.close()
        }
      }
      await eventually(async () => (await postSigned(s, 'mqtt-gateway-status', MINIMAL, next)).status === 200)
    }
    stop = true
    await Promise.all(knockers)
    expect(seen.length).toBeGreaterThan(40)
    expect(new Set(seen)).toEqual(new Set([403]))
  })
})

describe('body size', () => {
  /** Sends only what `write` writes and never ends the request: the answer must not wait for the rest. */
  const unfinishedPost = (url: string, headers: Record<string, string>, write: (req: ClientRequest) => void) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: Number(new URL(url).port), path: STATUS_PATH, method: 'POST', agent: false, headers })
      req.on('response', (r) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => {
          resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() })
          req.destroy()
        })
      })
      req.on('error', reject)
      write(req)
    })

  it('answers a 10 MB body with 413 without reading it: only the first chunk is ever sent', { timeout: 10_000 }, async () => {
    const s = await start()
    const headers = {
      'content-type': 'application/json',
      'content-length': String(10 * 1024 * 1024),
      'x-gxp-signature': `sha256=${'0'.repeat(64)}`,
    }
    const res = await unfinishedPost(s.url, headers, (req) => req.write(Buffer.alloc(64 * 1024, 0x20)))
    expect(res.status).toBe(413)
    expect(res.body).toBe(TOO_LARGE)
    const entry = await eventually(() => s.station.log.query({ status: 413 })[0])
    expect(entry).toMatchObject({ endpoint: STATUS_PATH, source_ip: '127.0.0.1', reason: 'body too large' })
  })

  it('answers a chunked body with 413 once it passes 1 MiB, before the sender has finished', { timeout: 10_000 }, async () => {
    const s = await start()
    const chunk = Buffer.alloc(256 * 1024, 0x20)
    // A well-formed signature (wrong or not, it cannot be known before the end): the body is read.
    const headers = { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-gxp-signature': `sha256=${'0'.repeat(64)}` }
    const res = await unfinishedPost(s.url, headers, (req) => {
      for (let i = 0; i < 6; i++) req.write(chunk) // 1.5 MiB
    })
    expect(res.status).toBe(413)
    expect(res.body).toBe(TOO_LARGE)
  })
})

describe('rate limit', () => {
  it('a burst past the limit is 429 with Retry-After, per source address and per endpoint', async () => {
    const s = await start({ config: { rateLimitPerMinute: 5 } })
    for (let i = 0; i < 5; i++) expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL)).status).toBe(200)

    const limited = await postSigned(s, 'mqtt-gateway-status', MINIMAL)
    expect(limited.status).toBe(429)
    const retryAfter = (JSON.parse(limited.body) as { retry_after: number }).retry_after
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true)
    expect(limited.body).toBe(`{"error":"Too Many Requests","message":"Rate limit exceeded","retry_after":${retryAfter}}`)
    expect(limited.headers['retry-after']).toBe(String(retryAfter))

    // The limit comes before the signature, and a forwarding header does not buy a fresh budget.
    expect((await post(s.url, STATUS_PATH, MINIMAL, {}, { localAddress: '127.0.0.1' })).status).toBe(429)
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.1', { 'x-forwarded-for': '10.9.9.9' })).status).toBe(429)

    // Another source on the same endpoint, and the same source on another endpoint, still pass.
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL, '127.0.0.2')).status).toBe(200)
    expect((await postSigned(s, 'access-event', '{"reader_id":"R-1","credential_value":"C-1"}', '127.0.0.1')).status).toBe(200)
  })
})

describe('the log', () => {
  it('records every request, accepted or refused, with its status, source address and reason', async () => {
    // One signed request per source and endpoint a minute: the second signed attendee-sync is a 429.
    const s = await start({ config: { rateLimitPerMinute: 1 } })
    s.station.allowlist.add('access-event', '127.0.0.1')
    s.station.reloadAllowlist()

    // (The 401 first: once the signed budget of a source and endpoint is spent, the rest of the minute is 429.)
    expect((await post(s.url, STATUS_PATH, MINIMAL, { 'x-gxp-signature': signGxp('wrong', MINIMAL) })).status).toBe(401)
    expect((await postSigned(s, 'mqtt-gateway-status', MINIMAL)).status).toBe(200)
    expect((await postSigned(s, 'access-event', '{"reader_id":"R-1","credential_value":"C-1"}', '127.0.0.2')).status).toBe(403)
    expect((await post(s.url, '/webhook/v1/nope', MINIMAL, {}, { localAddress: '127.0.0.3' })).status).toBe(404)
    expect((await post(s.url, '/webhook/v1/cvent', '', {}, { method: 'GET' })).status).toBe(405)
    expect((await post(s.url, '/webhook/v1/cvent', 'x'.repeat(1024 * 1024 + 1))).status).toBe(413)
    expect((await post(s.url, '/webhook/v1/attendee-sync', '{}', { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await postSigned(s, 'attendee-sync', '{"project_slug":"p","team_slug":"t"}', '127.0.0.1')).status).toBe(400)
    expect((await postSigned(s, 'attendee-sync', '{}', '127.0.0.1')).status).toBe(429)

    const entries = await eventually(() => {
      const list = s.station.log.query()
      return list.length === 9 && list
    })
    const seen = entries.map((e) => ({
      endpoint: e.endpoint,
      method: e.method,
      status: e.status,
      source_ip: e.source_ip,
      reason: e.reason,
    }))
    expect(seen).toEqual(
      expect.arrayContaining([
        { endpoint: STATUS_PATH, method: 'POST', status: 200, source_ip: '127.0.0.1', reason: null },
        { endpoint: STATUS_PATH, method: 'POST', status: 401, source_ip: '127.0.0.1', reason: 'signature mismatch' },
        {
          endpoint: '/webhook/v1/access-event',
          method: 'POST',
          status: 403,
          source_ip: '127.0.0.2',
          reason: expect.stringContaining('127.0.0.2'),
        },
        { endpoint: '/webhook/v1/nope', method: 'POST', status: 404, source_ip: '127.0.0.3', reason: 'unknown path' },
        { endpoint: '/webhook/v1/cvent', method: 'GET', status: 405, source_ip: '127.0.0.1', reason: 'method not allowed' },
        { endpoint: '/webhook/v1/cvent', method: 'POST', status: 413, source_ip: '127.0.0.1', reason: 'body too large' },
        {
          endpoint: '/webhook/v1/attendee-sync',
          method: 'POST',
          status: 415,
          source_ip: '127.0.0.1',
          reason: expect.stringContaining('text/plain'),
        },
        {
          endpoint: '/webhook/v1/attendee-sync',
          method: 'POST',
          status: 400,
          source_ip: '127.0.0.1',
          reason: expect.stringContaining('attendees'),
        },
        { endpoint: '/webhook/v1/attendee-sync', method: 'POST', status: 429, source_ip: '127.0.0.1', reason: 'rate limit exceeded' },
      ]),
    )
    for (const e of entries) {
      expect(e.id).toMatch(/^log_\d+$/)
      expect(e.received_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      expect(e.response_time_ms).toBeGreaterThanOrEqual(0)
    }
  })
})
