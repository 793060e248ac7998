// Helpers for tests that drive a real station: temp data directories, signing, and raw HTTP posts
// over node:http (so the client's source address and the exact body bytes are under the test's control).
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station, type StationOptions } from '../station/station'

/** A fresh directory under the OS temp dir. */
export const tempDir = (prefix = 'gatehouse-test-'): string => mkdtempSync(join(tmpdir(), prefix))

/** `sha256=<hex>`: the X-GxP-Signature value for `body`, computed here independently of the receiver. */
export const signGxp = (secret: string, body: string | Buffer): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

export interface RunningStation {
  station: Station
  dataDir: string
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string
  /** Closes the station and removes its data directory (when this helper made it). */
  close(): Promise<void>
}

export type StartOptions = Partial<StationOptions> & { host?: string }

/** A station on a real socket (port 0), with its own temp data directory unless one is given. */
export async function startStation(options: StartOptions = {}): Promise<RunningStation> {
  const { host = '127.0.0.1', ...rest } = options
  const ownDir = rest.dataDir === undefined
  const dataDir = rest.dataDir ?? tempDir()
  const station = await createStation({ env: {}, ...rest, dataDir })
  try {
    const { port } = await station.listen(host, 0)
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
    return {
      station,
      dataDir,
      url,
      async close() {
        await station.close()
        if (ownDir) rmSync(dataDir, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await station.close()
    if (ownDir) rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** The response body as received, decoded as UTF-8. */
  body: string
}

export interface PostOptions {
  /** Bind the client socket to this address (127.0.0.2 is "another host" on Linux loopback). */
  localAddress?: string
  method?: string
}

/**
 * Sends `body` byte for byte. `content-type: application/json` is added unless `headers` names a
 * content type; a header given as an array is sent as that many header lines.
 */
export function post(
  url: string,
  path: string,
  body: string | Buffer,
  headers: OutgoingHttpHeaders = {},
  options: PostOptions = {},
): Promise<RawResponse> {
  const target = new URL(url)
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname.replace(/^\[|\]$/g, ''),
        port: Number(target.port),
        path,
        method: options.method ?? 'POST',
        localAddress: options.localAddress,
        agent: false,
        headers: { ...(hasType ? {} : { 'content-type': 'application/json' }), 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
