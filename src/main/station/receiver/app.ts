// The webhook receiver. Every request passes, in order: source address → per-endpoint allowlist →
// rate limit → body size limit → signature over the raw bytes → JSON parse → zod → handler.
// Building the app is separate from listen(); see ./server.ts.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import sjson from 'secure-json-parse'
import { performance } from 'node:perf_hooks'
import { STATUS_CODES } from 'node:http'
import { isUtf8 } from 'node:buffer'
import {
  ENDPOINTS,
  ERRORS,
  endpointPath,
  webhookSchemas,
  type EndpointName,
  type ErrorBody,
  type WebhookPayloads,
} from '../../../shared/webhooks'
import type { WebhookLogRecord } from '../../../shared/log'
import { normalizeClientAddress } from '../../../shared/allowlist'
import { fieldErrors } from '../validation'
import { StoreUnavailableError, isStoreFault, type CommitQueue } from '../store/commit-queue'
import type { NewLogEntry, WebhookLogStore } from '../store/webhook-log'
import { SIGNATURE_HEADER, parseSignature, verify, type SignatureScheme } from './signature'
import type { SourceGuard } from './source-guard'
import { sentTimestamp, type ReplayGuard } from './replay-guard'

/** What an endpoint handler decided; it runs inside the write transaction that also logs it. */
export interface EndpointOutcome {
  status: number
  body: unknown
  /** Stored with the log entry (e.g. the access decision's reason). */
  reason?: string | null
  /** Runs after the commit: pushes to the live hub. */
  after?: () => void
  /** SHA-256 of the body, to keep with the log entry (a status body: repeats are recognised after a restart). */
  bodySha256?: Buffer
}

export interface RequestContext {
  sourceIp: string
  receivedAt: number
  headers: FastifyRequest['headers']
  /** The verified body, byte for byte. */
  raw: Buffer
}

export type EndpointHandlers = {
  [K in EndpointName]: (payload: WebhookPayloads[K], ctx: RequestContext) => EndpointOutcome
}

export type RefusalKind = 'signature' | 'forbidden' | 'rate_limited' | 'validation' | 'replay' | 'other'

export interface ReceiverDeps {
  queue: CommitQueue
  log: WebhookLogStore
  keys: (endpoint: EndpointName) => readonly Buffer[]
  guard: SourceGuard
  /** Refuses replayed or stale bodies on the endpoints where an admin switched it on. */
  replay?: ReplayGuard
  handlers: EndpointHandlers
  /** Requests per minute per source address per endpoint; 0 turns the limit off. */
  rateLimitPerMinute: number
  bodyLimits: Record<EndpointName, number>
  /** Told of every log entry once it is committed (the live hub). */
  onLogged?: (record: WebhookLogRecord) => void
  onRefused?: (kind: RefusalKind, sourceIp: string, endpoint: string) => void
  onStoreFailure?: (err: unknown) => void
  timeouts?: Partial<ReceiverTimeouts>
  /** Where a failure after the commit is reported (the answer is already decided; console by default). */
  logError?: (message: string, err: unknown) => void
}

export interface ReceiverTimeouts {
  /** The whole request (headers and body) must arrive within this. */
  requestMs: number
  headersMs: number
  keepAliveMs: number
}

export const DEFAULT_TIMEOUTS: ReceiverTimeouts = { requestMs: 30_000, headersMs: 10_000, keepAliveMs: 10_000 }
export const DEFAULT_BODY_LIMIT = 1024 * 1024

/** How often the server looks for requests past their header/request deadline (ms). */
export const checkingIntervalMs = (t: ReceiverTimeouts): number =>
  Math.min(1000, Math.max(50, Math.floor(Math.min(t.headersMs, t.requestMs) / 4)))

interface RequestState {
  start: number
  receivedAt: number
  sourceIp: string
  reason: string | null
  logged: boolean
  /** The verified body's own timestamp (epoch ms), for the "late" label. */
  sentAt?: number | null
  bodyDigest?: Buffer | null
}

declare module 'fastify' {
  interface FastifyRequest {
    gatehouse: RequestState
  }
}

const JSON_TYPE = 'application/json; charset=utf-8'
const STORED_HEADERS_LIMIT = 64

const schemeOf = (endpoint: EndpointName): SignatureScheme => (endpoint === 'cvent' ? 'cvent' : 'gxp')

function sendError(reply: FastifyReply, status: number, body: ErrorBody, reason: string): FastifyReply {
  reply.request.gatehouse.reason = reason
  return reply.code(status).type(JSON_TYPE).send(body)
}

function headersForLog(headers: FastifyRequest['headers']): NewLogEntry['headers'] {
  const out: NewLogEntry['headers'] = {}
  let n = 0
  for (const [k, v] of Object.entries(headers)) {
    if (n++ >= STORED_HEADERS_LIMIT) break
    out[k] = typeof v === 'string' ? v.slice(0, 2048) : v
  }
  return out
}

export function buildReceiver(deps: ReceiverDeps): FastifyInstance {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts }
  const app = Fastify({
    logger: false,
    trustProxy: false, // X-Forwarded-For / X-Real-IP are never trusted
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.requestMs * 2,
    // Node enforces requestTimeout/headersTimeout only when it sweeps its connections, every 30 s by
    // default: a body at 1 byte/s lived 30 s past a 2 s limit. Sweep at a quarter of the shortest.
    http: { connectionsCheckingInterval: checkingIntervalMs(timeouts) },
    bodyLimit: DEFAULT_BODY_LIMIT,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 100 },
    // The raw body is read as bytes and parsed only after its signature is verified.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Bytes that are not valid HTTP never reach a route: answer in the documented shape and log them.
    clientErrorHandler: (err: Error & { code?: string }, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy()
        return
      }
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
      const body = JSON.stringify(status === 408 ? ERRORS.timeout : status === 431 ? ERRORS.headersTooLarge : ERRORS.malformed)
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
      const entry: NewLogEntry = {
        endpoint: '(malformed request)',
        method: '-',
        status,
        sourceIp: normalizeClientAddress(socket.remoteAddress ?? 'unknown'),
        receivedAt: Date.now(),
        responseTimeMs: 0,
        reason: `not valid HTTP: ${err.code ?? err.message}`.slice(0, 200),
        headers: {},
        body: null,
      }
      logAfterAnswer(entry)
    },
  })
  app.server.headersTimeout = timeouts.headersMs

  app.decorateRequest('gatehouse', null as unknown as RequestState)

  app.addHook('onRequest', (request, reply, done) => {
    const sourceIp = normalizeClientAddress(request.socket.remoteAddress ?? 'unknown')
    request.gatehouse = { start: performance.now(), receivedAt: Date.now(), sourceIp, reason: null, logged: false }
    // An unknown path is a 404 before its body is read (not a 413 or 415 about a body nobody wants).
    if (request.is404) {
      sendError(reply, 404, ERRORS.notFound, 'unknown path')
      return
    }
    const endpoint = request.routeOptions.config?.endpoint
    if (endpoint && request.method === 'POST' && !deps.guard.check(endpoint, sourceIp).allowed) {
      deps.onRefused?.('forbidden', sourceIp, request.url)
      sendError(reply, 403, ERRORS.forbidden, `source ${sourceIp} is not on the ${endpoint} allowlist`)
      return
    }
    done()
  })

  // Every request on every path gets a log entry; a handled webhook wrote its own inside its commit.
  app.addHook('onResponse', (request, reply, done) => {
    const state = request.gatehouse
    if (state && !state.logged) logAfterAnswer(logEntry(request, reply.statusCode, state.reason, null))
    done()
  })

  app.removeAllContentTypeParsers()
  const passRawBody = (_req: FastifyRequest, body: string | Buffer, done: (err: null, body: Buffer) => void): void =>
    done(null, body as Buffer)
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, passRawBody)
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'buffer' }, passRawBody)

  app.setErrorHandler((error: FastifyError & Partial<ErrorBody> & { retry_after?: number }, request, reply) => {
    if (!request.gatehouse) {
      request.gatehouse = { start: performance.now(), receivedAt: Date.now(), sourceIp: 'unknown', reason: null, logged: false }
    }
    const status = error.statusCode ?? 500
    if (status === 429) {
      deps.onRefused?.('rate_limited', request.gatehouse.sourceIp, request.url)
      return sendError(reply, 429, { ...ERRORS.rateLimited, retry_after: error.retry_after ?? 60 }, 'rate limit exceeded')
    }
    if (error instanceof StoreUnavailableError || isStoreFault(error)) {
      deps.onStoreFailure?.(error)
      return sendError(reply, 503, ERRORS.unavailable, `store unavailable: ${error.message}`)
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, ERRORS.tooLarge, 'body too large')
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(
          reply,
          415,
          ERRORS.unsupportedMediaType,
          `content type ${String(request.headers['content-type'] ?? '(none)').slice(0, 100)}`,
        )
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, 400, ERRORS.badRequest, 'content length does not match the body')
    }
    if (status === 408) return sendError(reply, 408, ERRORS.timeout, 'request timeout')
    if (status >= 400 && status < 500) return sendError(reply, status, ERRORS.badRequest, error.message.slice(0, 200))
    // Anything else is our fault: say nothing of internals, never a bare 500 page.
    return sendError(reply, 500, ERRORS.internal, `internal: ${error.message.slice(0, 200)}`)
  })

  app.setNotFoundHandler((request, reply) => {
    sendError(reply, 404, ERRORS.notFound, 'unknown path')
  })

  const rateLimited = deps.rateLimitPerMinute > 0
  void app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    max: Math.max(deps.rateLimitPerMinute, 1),
    timeWindow: 60_000,
    keyGenerator: (req) => `${req.gatehouse.sourceIp}|${req.routeOptions.url}`,
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, retry_after: Math.max(1, Math.ceil(ctx.ttl / 1000)) }),
  })

  void app.after(() => {
    for (const endpoint of ENDPOINTS) {
      const url = endpointPath(endpoint)
      app.route({
        method: 'POST',
        url,
        bodyLimit: deps.bodyLimits[endpoint],
        config: { endpoint, rateLimit: rateLimited ? {} : false },
        handler: (request, reply) => handle(endpoint, request, reply),
      })
      app.route({
        method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        url,
        config: { endpoint },
        handler: (_request, reply) => {
          reply.header('allow', 'POST')
          return sendError(reply, 405, ERRORS.methodNotAllowed, 'method not allowed')
        },
      })
    }
  })

  function logEntry(request: FastifyRequest, status: number, reason: string | null, body: Buffer | null): NewLogEntry {
    const state = request.gatehouse
    return {
      endpoint: (request.url.split('?')[0] ?? request.url).slice(0, 512),
      method: request.method,
      status,
      sourceIp: state.sourceIp,
      receivedAt: state.receivedAt,
      responseTimeMs: performance.now() - state.start,
      reason,
      headers: headersForLog(request.headers),
      body: body ?? (Buffer.isBuffer(request.body) ? request.body : null),
      sentAt: state.sentAt ?? null,
      bodySha256: state.bodyDigest ?? null,
    }
  }

  function afterCommit(what: string, run: () => void): void {
    try {
      run()
    } catch (err) {
      ;(deps.logError ?? ((m, e) => console.error(`gatehouse: ${m}`, e)))(`${what} threw`, err)
    }
  }

  /** A refusal's entry is written after its answer (it acknowledges nothing); then the hub hears of it. */
  function logAfterAnswer(entry: NewLogEntry): void {
    deps.queue
      .enqueue(() => deps.log.add(entry))
      .then(
        (record) => afterCommit('log listener', () => deps.onLogged?.(record)),
        () => undefined, // a refusal that cannot be logged is still refused; the store alert covers it
      )
  }

  async function handle(endpoint: EndpointName, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const state = request.gatehouse
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
    const scheme = schemeOf(endpoint)
    const digest = parseSignature(scheme, request.headers[SIGNATURE_HEADER[scheme]])
    if (!digest || !verify(digest, raw, deps.keys(endpoint))) {
      deps.onRefused?.('signature', state.sourceIp, request.url)
      return sendError(reply, 401, ERRORS.signature, digest ? 'signature mismatch' : 'signature missing or malformed')
    }
    // JSON is UTF-8 (RFC 8259); decoding would turn bad bytes into U+FFFD and two different
    // credentials into the same one.
    if (!isUtf8(raw)) {
      return sendError(reply, 400, { ...ERRORS.validation, errors: { body: ['The body must be UTF-8'] } }, 'body is not valid UTF-8')
    }
    let parsed: unknown
    try {
      parsed = sjson.parse(raw, undefined, { protoAction: 'remove', constructorAction: 'remove' })
    } catch {
      return sendError(reply, 400, { ...ERRORS.validation, errors: { body: ['The body must be valid JSON'] } }, 'invalid JSON')
    }
    const result = webhookSchemas[endpoint].safeParse(parsed)
    if (!result.success) {
      const errors = fieldErrors(result.error.issues, parsed)
      return sendError(reply, 400, { ...ERRORS.validation, errors }, `validation failed: ${Object.keys(errors).join(', ')}`.slice(0, 300))
    }
    // Only now, with the signature verified: the replay guard and the "late" label trust the timestamp.
    state.sentAt = sentTimestamp(parsed)
    const replay = deps.replay?.check(endpoint, raw, state.sentAt, state.receivedAt)
    if (replay && !replay.ok) {
      deps.onRefused?.('replay', state.sourceIp, request.url)
      return sendError(reply, 409, { ...ERRORS.replay, errors: replay.detail }, replay.reason)
    }
    const bodyDigest = (state.bodyDigest = replay?.digest ?? null)
    const ctx: RequestContext = { sourceIp: state.sourceIp, receivedAt: state.receivedAt, headers: request.headers, raw }
    const handler = deps.handlers[endpoint] as (payload: unknown, ctx: RequestContext) => EndpointOutcome
    let committed: { outcome: EndpointOutcome; record: WebhookLogRecord }
    try {
      committed = await deps.queue.enqueue(() => {
        const outcome = handler(result.data, ctx)
        if (outcome.bodySha256 && !state.bodyDigest) state.bodyDigest = outcome.bodySha256
        return { outcome, record: deps.log.add(logEntry(request, outcome.status, outcome.reason ?? null, raw)) }
      })
    } catch (err) {
      // Not applied: the same bytes may come again.
      if (bodyDigest) deps.replay?.release(endpoint, bodyDigest)
      // Fail closed: a scan whose decision could not be made and stored is never granted.
      if (endpoint !== 'access-event' && !isStoreFault(err)) throw err
      deps.onStoreFailure?.(err)
      const why = err instanceof Error ? err.message : String(err)
      return sendError(reply, 503, ERRORS.unavailable, `not applied: ${why}`.slice(0, 300))
    }
    const { outcome, record } = committed
    state.logged = true
    // Committed: whatever the live side does now cannot change the answer.
    afterCommit(`${endpoint} after-commit`, () => outcome.after?.())
    afterCommit(`${endpoint} log listener`, () => deps.onLogged?.(record))
    return reply.code(outcome.status).type(JSON_TYPE).send(outcome.body)
  }

  return app
}

declare module 'fastify' {
  interface FastifyContextConfig {
    endpoint?: EndpointName
  }
}
