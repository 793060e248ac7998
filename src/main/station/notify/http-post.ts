// One POST to a notification target, bounded every way a target could hold us: one deadline for
// connect + TLS + answer, no redirects followed (a 3xx is a failure naming where it pointed), at
// most a few KiB of the answer read, no connection kept. Never throws: the outcome is a value.
import http from 'node:http'
import https from 'node:https'
import type { TrustStore } from './trust-store'

export interface PostOutcome {
  ok: boolean
  status: number | null
  /** Why it failed; null on a 2xx. */
  error: string | null
  retryAfter: string | undefined
  durationMs: number
  /** The attempt was cut short by `signal` (the station closing): it proves nothing either way. */
  aborted: boolean
}

export interface PostOptions {
  timeoutMs: number
  trust: TrustStore
  /** How much of the answer is read (for the error text); the rest is never downloaded. */
  maxResponseBytes?: number
  signal?: AbortSignal
}

export const DEFAULT_MAX_RESPONSE_BYTES = 4096

/** Control characters out, length bounded: an answer's text ends up on the desk. */
const printable = (text: string, max = 200): string =>
  text
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
    .slice(0, max)

export function postJson(url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostOutcome> {
  const started = performance.now()
  const cap = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  return new Promise((resolve) => {
    let settled = false
    let req: http.ClientRequest | undefined
    const finish = (o: Omit<PostOutcome, 'durationMs' | 'aborted'> & { aborted?: boolean }): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      options.signal?.removeEventListener('abort', onAbort)
      req?.destroy()
      resolve({ ...o, aborted: o.aborted ?? false, durationMs: Math.round(performance.now() - started) })
    }
    const deadline = setTimeout(
      () => finish({ ok: false, status: null, error: `no answer within ${options.timeoutMs / 1000} s`, retryAfter: undefined }),
      options.timeoutMs,
    )
    const onAbort = (): void => finish({ ok: false, status: null, error: 'the station closed', retryAfter: undefined, aborted: true })
    if (options.signal?.aborted) return onAbort()
    options.signal?.addEventListener('abort', onAbort)

    let target: URL
    try {
      target = new URL(url)
    } catch {
      return finish({ ok: false, status: null, error: 'the target URL is not valid', retryAfter: undefined })
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return finish({ ok: false, status: null, error: `${target.protocol} URLs are never called`, retryAfter: undefined })
    }
    const payload = Buffer.from(body, 'utf8')
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      agent: false,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(payload.length),
        'user-agent': 'Gatehouse-notify/1',
        connection: 'close',
      },
      ...(target.protocol === 'https:' && options.trust.ca ? { ca: options.trust.ca } : {}),
    }
    try {
      req = (target.protocol === 'https:' ? https : http).request(target, requestOptions, (res) => {
        const status = res.statusCode ?? 0
        const chunks: Buffer[] = []
        let read = 0
        const done = (): void => {
          const text = printable(Buffer.concat(chunks).toString('utf8'))
          if (status >= 200 && status < 300) return finish({ ok: true, status, error: null, retryAfter: undefined })
          const retryAfter = typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : undefined
          if (status >= 300 && status < 400) {
            const where = redirectTarget(res.headers.location, target)
            return finish({
              ok: false,
              status,
              error: `HTTP ${status}: redirects to ${where}; not followed (give the final URL)`,
              retryAfter,
            })
          }
          finish({ ok: false, status, error: `HTTP ${status}${text ? `: ${text}` : ''}`, retryAfter })
        }
        res.on('data', (chunk: Buffer) => {
          if (read < cap) chunks.push(chunk.subarray(0, cap - read))
          read += chunk.length
          // Enough to show why; the rest (maybe endless) is never read.
          if (read >= cap) done()
        })
        res.on('end', done)
        res.on('error', () => done())
        res.on('aborted', () => done())
      })
    } catch (err) {
      return finish({ ok: false, status: null, error: describe(err), retryAfter: undefined })
    }
    req.on('error', (err) => finish({ ok: false, status: null, error: describe(err), retryAfter: undefined }))
    req.end(payload)
  })
}

function redirectTarget(location: string | undefined, base: URL): string {
  if (!location) return 'nowhere'
  try {
    const to = new URL(location, base)
    return (to.host === base.host ? to.href : `another host (${to.host})`).slice(0, 300)
  } catch {
    return 'an unreadable Location'
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string }
  const code = typeof e.code === 'string' ? e.code : ''
  const message = printable(typeof e.message === 'string' ? e.message : String(err))
  return code && !message.includes(code) ? `${code}: ${message}` : message || 'the request failed'
}
