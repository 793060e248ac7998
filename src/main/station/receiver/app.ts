// The webhook receiver. Every request passes, in order: source address → per-endpoint allowlist →
// signed budget → body size limit → signature header → body (HMAC computed as it streams in, large
// bodies a few at a time) → signature → JSON parse → zod → replay guard → signed budget → handler.
// Refusals are charged to the source's refusal budget (past it they are 429) and logged small.
// Building the app is separate from listen(); see ./server.ts.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import sjson from 'secure-json-parse'
import { performance } from 'node:perf_hooks'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { isUtf8 } from 'node:buffer'
import { createHash } from 'node:crypto'
import {
  ENDPOINTS,
  ERRORS,
  endpointPath,
  parseWebhookPayload,
  type EndpointName,
  type AttendeeSyncPayload,
  type ErrorBody,
  type WebhookPayloads,
} from '../../../shared/webhooks'
import type { WebhookLogRecord } from '../../../shared/log'
import { WORKER_PARSE_BYTES, type Parsed } from './json-worker'
import { normalizeClientAddress } from '../../../shared/allowlist'
import { fieldErrors } from '../validation'
import { StoreUnavailableError, isStoreFault, type CommitQueue } from '../store/commit-queue'
import { REFUSED_BODY_LIMIT, type NewLogEntry, type WebhookLogStore } from '../store/webhook-log'
import { SIGNATURE_HEADER, parseSignature, verify } from './signature'
import type { SourceGuard } from './source-guard'
import { sentTimestamp, type ReplayGuard } from './replay-guard'
import { createBudget, type Charge } from './budgets'
import { DEFAULT_REFUSAL_RATE_LIMIT_PER_MINUTE } from '../config'
import { MALFORMED, createRefusalLog, type RefusalLog } from './refusal-log'
import {
  BodyRefusal,
  LARGE_BODY_RETRY_AFTER_S,
  createBodyReader,
  createLargeBodySlots,
  schemeOf,
  type LargeBodySlots,
  type ReceivedBody,
} from './body-reader'

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
  /** Signed budget: verified requests per minute per source address per endpoint; 0 turns it off. */
  rateLimitPerMinute: number
  /** Refusal budget: refused requests per minute per source address (all paths); 0 turns it off. */
  refusalRateLimitPerMinute?: number
  bodyLimits: Record<EndpointName, number>
  /** Where refusals are logged (small, aggregated past a few per source per minute); one is made if not given. */
  refusals?: RefusalLog
  /** Large bodies read at the same time (see body-reader.ts). */
  largeBodySlots?: LargeBodySlots
  /** Told of every log entry once it is committed (the live hub). */
  onLogged?: (record: WebhookLogRecord) => void
  onRefused?: (kind: RefusalKind, sourceIp: string, endpoint: string) => void
  /** Every answered request (after the answer): what `rejections_burst` counts. Never throws into the receiver. */
  onAnswered?: (status: number, sourceIp: string, endpoint: string, reason: string | null) => void
  onStoreFailure?: (err: unknown) => void
  timeouts?: Partial<ReceiverTimeouts>
  /** Where a failure after the commit is reported (the answer is already decided; console by default). */
  logError?: (message: string, err: unknown) => void
  /** Parses large bodies off the event loop (json-worker.ts); without it they are parsed here. */
  parseLarge?: (raw: Buffer) => Promise<Parsed>
  /**
   * Applies an attendee-sync in several commits (access/sync-applier.ts), `log` adding its entry in
   * the last; without it a sync is one write like any other request.
   */
  applySync?: (payload: AttendeeSyncPayload, log: (outcome: EndpointOutcome) => WebhookLogRecord) => Promise<Committed>
  /** Runs a Cvent event's write after any sync being applied (they change the same attendees). */
  attendeeWriters?: <T>(job: () => Promise<T>) => Promise<T>
}

interface Committed {
  outcome: EndpointOutcome
  record: WebhookLogRecord
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
  /** The signature verified, and the request was no replay: logged in full, not as a refusal. */
  verified: boolean
  res?: ServerResponse
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
/** The only headers a refused request keeps (each cut at 256 characters). */
const REFUSED_HEADERS = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'transfer-encoding',
  'expect',
  'x-gxp-signature',
  'x-cvent-signature',
  'x-forwarded-for',
  'x-real-ip',
] as const

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

function refusedHeadersForLog(headers: FastifyRequest['headers']): NewLogEntry['headers'] {
  const out: NewLogEntry['headers'] = {}
  for (const k of REFUSED_HEADERS) {
    const v = headers[k]
    if (v !== undefined) out[k] = typeof v === 'string' ? v.slice(0, 256) : v.slice(0, 4).map((x) => x.slice(0, 256))
  }
  return out
}

const newState = (sourceIp: string, res?: ServerResponse): RequestState => ({
  start: performance.now(),
  receivedAt: Date.now(),
  sourceIp,
  reason: null,
  logged: false,
  verified: false,
  res,
})

export function buildReceiver(deps: ReceiverDeps): FastifyInstance {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts }
  const refusals = deps.refusals ?? createRefusalLog({ queue: deps.queue, log: deps.log, onLogged: deps.onLogged })
  // Two budgets, so junk cannot spend a gateway's: one charged only by requests whose signature
  // verified (per source and endpoint), one by refusals (per source, any path).
  const signed = createBudget({ perMinute: deps.rateLimitPerMinute })
  const refusedBudget = createBudget({ perMinute: deps.refusalRateLimitPerMinute ?? DEFAULT_REFUSAL_RATE_LIMIT_PER_MINUTE })
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
      // As Node's own handler does: once an answer went out on this socket (a refusal sent before the
      // body was read, say), the bytes that follow are not answered again.
      const answered = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true
      if (err.code === 'ECONNRESET' || !socket.writable || answered) {
        socket.destroy()
        return
      }
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
      const body = JSON.stringify(status === 408 ? ERRORS.timeout : status === 431 ? ERRORS.headersTooLarge : ERRORS.malformed)
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      )
      refusals.record({
        endpoint: MALFORMED,
        method: '-',
        status,
        sourceIp: normalizeClientAddress(socket.remoteAddress ?? 'unknown'),
        receivedAt: Date.now(),
        responseTimeMs: 0,
        reason: `not valid HTTP: ${err.code ?? err.message}`.slice(0, 200),
        headers: {},
        body: null,
        refused: true,
      })
    },
  })
  app.server.headersTimeout = timeouts.headersMs
  // Node answers `Expect: 100-continue` itself unless told otherwise: then a client would send a
  // 60 MB body only to be told 413 (or 403, 429…). The body reader sends 100 when it wants the body.
  app.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => app.routing(req, res))

  app.decorateRequest('gatehouse', null as unknown as RequestState)

  /** The path a burst alert is about: the endpoint's own, never a client-made URL with a query. */
  const subjectOf = (request: FastifyRequest): string => {
    const endpoint = request.routeOptions.config?.endpoint
    return endpoint ? endpointPath(endpoint) : (request.url.split('?')[0] ?? request.url).slice(0, 512)
  }

  /** A client waiting for `100 Continue` gets none: it must not send its body on this connection. */
  const closeIfWaiting = (reply: FastifyReply): void => {
    if (String(reply.request.headers.expect ?? '').toLowerCase() === '100-continue') reply.header('connection', 'close')
  }

  function tooMany(reply: FastifyReply, charge: Charge, reason: string): FastifyReply {
    deps.onRefused?.('rate_limited', reply.request.gatehouse.sourceIp, subjectOf(reply.request))
    closeIfWaiting(reply)
    reply.header('retry-after', String(charge.retryAfterS))
    reply.header('x-ratelimit-limit', String(charge.limit))
    reply.header('x-ratelimit-remaining', String(charge.remaining))
    reply.header('x-ratelimit-reset', String(charge.retryAfterS))
    return sendError(reply, 429, { ...ERRORS.rateLimited, retry_after: charge.retryAfterS }, reason)
  }

  /** Answers a refusal, charged to the source's refusal budget: past the budget it is a 429. */
  function refuse(reply: FastifyReply, status: number, body: ErrorBody, reason: string, kind: RefusalKind | null): FastifyReply {
    const state = reply.request.gatehouse
    if (kind) deps.onRefused?.(kind, state.sourceIp, subjectOf(reply.request))
    closeIfWaiting(reply)
    const charge = refusedBudget.charge(state.sourceIp)
    if (!charge.ok) return tooMany(reply, charge, `${reason} (over the refusal budget)`)
    return sendError(reply, status, body, reason)
  }

  app.addHook('onRequest', (request, reply, done) => {
    const sourceIp = normalizeClientAddress(request.socket.remoteAddress ?? 'unknown')
    request.gatehouse = newState(sourceIp, reply.raw)
    // An unknown path is a 404 before its body is read (not a 413 or 415 about a body nobody wants).
    if (request.is404) {
      refuse(reply, 404, ERRORS.notFound, 'unknown path', null)
      return
    }
    const endpoint = request.routeOptions.config?.endpoint
    if (endpoint && request.method !== 'POST') {
      reply.header('allow', 'POST')
      refuse(reply, 405, ERRORS.methodNotAllowed, 'method not allowed', null)
      return
    }
    if (endpoint && !deps.guard.check(endpoint, sourceIp).allowed) {
      refuse(reply, 403, ERRORS.forbidden, `source ${sourceIp} is not on the ${endpoint} allowlist`, 'forbidden')
      return
    }
    // Only a sender with the secret can have spent its signed budget: nothing more of it is read.
    const spent = endpoint ? signed.exhausted(`${sourceIp}|${endpoint}`) : null
    if (spent) {
      tooMany(reply, spent, 'rate limit exceeded')
      return
    }
    done()
  })

  // Every request on every path gets a log entry; a handled webhook wrote its own inside its commit.
  app.addHook('onResponse', (request, reply, done) => {
    const state = request.gatehouse
    if (state && !state.logged) {
      if (state.verified) logAfterAnswer(logEntry(request, reply.statusCode, state.reason, null))
      else refusals.record(refusalEntry(request, reply.statusCode, state.reason, refusals.logsSingly(state.sourceIp, state.receivedAt)))
    }
    if (state && deps.onAnswered) {
      try {
        deps.onAnswered(reply.statusCode, state.sourceIp, subjectOf(request), state.reason)
      } catch {
        /* counting for an alert never changes an answer already sent */
      }
    }
    done()
  })

  app.removeAllContentTypeParsers()
  const readBody = createBodyReader({
    keys: deps.keys,
    slots: deps.largeBodySlots ?? createLargeBodySlots(),
    responseOf: (request) => request.gatehouse?.res,
  })
  app.addContentTypeParser('application/json', readBody)
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, readBody)

  app.setErrorHandler((error: FastifyError & Partial<ErrorBody>, request, reply) => {
    request.gatehouse ??= newState('unknown')
    if (error instanceof BodyRefusal) {
      switch (error.kind) {
        case 'signature':
          return refuse(reply, 401, ERRORS.signature, error.message, 'signature')
        case 'too_large':
          return refuse(reply, 413, ERRORS.tooLarge, error.message, 'other')
        case 'length':
          return refuse(reply, 400, ERRORS.badRequest, error.message, 'other')
        case 'aborted':
          return sendError(reply, 400, ERRORS.badRequest, error.message)
        case 'busy':
          // Not the sender's fault: not charged to its refusal budget.
          reply.header('retry-after', String(LARGE_BODY_RETRY_AFTER_S))
          return sendError(reply, 503, { ...ERRORS.unavailable, retry_after: LARGE_BODY_RETRY_AFTER_S }, error.message)
      }
    }
    const status = error.statusCode ?? 500
    if (error instanceof StoreUnavailableError || isStoreFault(error)) {
      deps.onStoreFailure?.(error)
      return sendError(reply, 503, ERRORS.unavailable, `store unavailable: ${error.message}`)
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return refuse(reply, 413, ERRORS.tooLarge, 'body too large', 'other')
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return refuse(
          reply,
          415,
          ERRORS.unsupportedMediaType,
          `content type ${String(request.headers['content-type'] ?? '(none)').slice(0, 100)}`,
          'other',
        )
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return refuse(reply, 400, ERRORS.badRequest, 'content length does not match the body', 'other')
    }
    if (status === 408) return sendError(reply, 408, ERRORS.timeout, 'request timeout')
    if (status >= 400 && status < 500) return sendError(reply, status, ERRORS.badRequest, error.message.slice(0, 200))
    // Anything else is our fault: say nothing of internals, never a bare 500 page.
    return sendError(reply, 500, ERRORS.internal, `internal: ${error.message.slice(0, 200)}`)
  })

  app.setNotFoundHandler((_request, reply) => refuse(reply, 404, ERRORS.notFound, 'unknown path', null))

  for (const endpoint of ENDPOINTS) {
    const url = endpointPath(endpoint)
    app.route({
      method: 'POST',
      url,
      bodyLimit: deps.bodyLimits[endpoint],
      config: { endpoint },
      handler: (request, reply) => handle(endpoint, request, reply),
    })
    // Answered in onRequest; the route exists so the method is known (405, not 404).
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      url,
      config: { endpoint },
      handler: (_request, reply) => {
        reply.header('allow', 'POST')
        return refuse(reply, 405, ERRORS.methodNotAllowed, 'method not allowed', null)
      },
    })
  }

  const pathOf = (request: FastifyRequest): string => (request.url.split('?')[0] ?? request.url).slice(0, 512)
  const received = (request: FastifyRequest): Buffer | null => (request.body as ReceivedBody | undefined)?.raw ?? null

  /** What every log entry says of its request, accepted or refused. */
  function entryOf(request: FastifyRequest, status: number, reason: string | null) {
    const state = request.gatehouse
    return {
      endpoint: pathOf(request),
      method: request.method,
      status,
      sourceIp: state.sourceIp,
      receivedAt: state.receivedAt,
      responseTimeMs: performance.now() - state.start,
      reason,
      sentAt: state.sentAt ?? null,
    }
  }

  function logEntry(request: FastifyRequest, status: number, reason: string | null, body: Buffer | null): NewLogEntry {
    return {
      ...entryOf(request, status, reason),
      headers: headersForLog(request.headers),
      body: body ?? received(request),
      bodySha256: request.gatehouse.bodyDigest ?? null,
    }
  }

  /**
   * A refusal's entry: the doc's fields and the cause, 1 KiB of body at most and a digest of all of
   * it — unless it is to be counted into an aggregate (`single` false), which keeps no body at all.
   */
  function refusalEntry(request: FastifyRequest, status: number, reason: string | null, single: boolean): NewLogEntry {
    const raw = single ? received(request) : null
    return {
      ...entryOf(request, status, reason),
      headers: refusedHeadersForLog(request.headers),
      // A copy: the entry must not keep a 64 MiB buffer alive until it is written.
      body: raw && raw.length > 0 ? Buffer.from(raw.subarray(0, REFUSED_BODY_LIMIT)) : null,
      bodySize: received(request)?.length ?? 0,
      bodySha256: raw && raw.length > 0 ? createHash('sha256').update(raw).digest() : null,
      refused: true,
    }
  }

  function afterCommit(what: string, run: () => void): void {
    try {
      run()
    } catch (err) {
      ;(deps.logError ?? ((m, e) => console.error(`gatehouse: ${m}`, e)))(`${what} threw`, err)
    }
  }

  /** An entry written after its answer (it acknowledges nothing); then the hub hears of it. */
  function logAfterAnswer(entry: NewLogEntry): void {
    deps.queue
      .enqueue(() => deps.log.add(entry))
      .then(
        (record) => afterCommit('log listener', () => deps.onLogged?.(record)),
        () => undefined, // an entry that cannot be written changes no answer; the store alert covers it
      )
  }

  /** The body as JSON (secure-json-parse: `__proto__` and `constructor` keys removed). */
  function parseHere(raw: Buffer): Parsed {
    try {
      return { ok: true, value: sjson.parse(raw, undefined, { protoAction: 'remove', constructorAction: 'remove' }) }
    } catch {
      return { ok: false }
    }
  }

  /** Large bodies off the loop; if the worker is gone, here rather than refuse a good request. */
  const parseLarge = (raw: Buffer, worker: (raw: Buffer) => Promise<Parsed>): Promise<Parsed> => worker(raw).catch(() => parseHere(raw))

  async function handle(endpoint: EndpointName, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const state = request.gatehouse
    const body = request.body as ReceivedBody | undefined
    // No body at all (no Content-Type, nothing sent) never went through the reader: check it here.
    const scheme = schemeOf(endpoint)
    const raw = body?.raw ?? Buffer.alloc(0)
    const digest = body ? null : parseSignature(scheme, request.headers[SIGNATURE_HEADER[scheme]])
    const verified = body ? body.verified : digest !== null && verify(digest, raw, deps.keys(endpoint))
    if (!verified) {
      const why = body || digest ? 'signature mismatch' : 'signature missing or malformed'
      return refuse(reply, 401, ERRORS.signature, why, 'signature')
    }
    state.verified = true
    // A verified sender's request is charged to its own budget (a replay, refused below, is not).
    const spend = (): FastifyReply | null => {
      const charge = signed.charge(`${state.sourceIp}|${endpoint}`)
      return charge.ok ? null : tooMany(reply, charge, 'rate limit exceeded')
    }
    // JSON is UTF-8 (RFC 8259); decoding would turn bad bytes into U+FFFD and two different
    // credentials into the same one.
    if (!isUtf8(raw)) {
      return (
        spend() ?? sendError(reply, 400, { ...ERRORS.validation, errors: { body: ['The body must be UTF-8'] } }, 'body is not valid UTF-8')
      )
    }
    // A scan's body is parsed in place: no promise, no turn of the loop on the hot path.
    const parsedBody = deps.parseLarge && raw.length >= WORKER_PARSE_BYTES ? await parseLarge(raw, deps.parseLarge) : parseHere(raw)
    if (!parsedBody.ok)
      return spend() ?? sendError(reply, 400, { ...ERRORS.validation, errors: { body: ['The body must be valid JSON'] } }, 'invalid JSON')
    const parsed = parsedBody.value
    const result = parseWebhookPayload(endpoint, parsed)
    if (!result.success) {
      const errors = fieldErrors(result.error.issues, parsed)
      return (
        spend() ??
        sendError(reply, 400, { ...ERRORS.validation, errors }, `validation failed: ${Object.keys(errors).join(', ')}`.slice(0, 300))
      )
    }
    // Only now, with the signature verified: the replay guard and the "late" label trust the timestamp.
    state.sentAt = sentTimestamp(parsed)
    const replay = deps.replay?.check(endpoint, raw, state.sentAt, state.receivedAt)
    if (replay && !replay.ok) {
      // Anyone may resend captured bytes: a replay is junk, logged and budgeted as a refusal.
      state.verified = false
      return refuse(reply, 409, { ...ERRORS.replay, errors: replay.detail }, replay.reason, 'replay')
    }
    const bodyDigest = (state.bodyDigest = replay?.digest ?? null)
    const over = spend()
    if (over) {
      if (bodyDigest) deps.replay?.release(endpoint, bodyDigest)
      return over
    }
    const ctx: RequestContext = { sourceIp: state.sourceIp, receivedAt: state.receivedAt, headers: request.headers, raw }
    const handler = deps.handlers[endpoint] as (payload: unknown, ctx: RequestContext) => EndpointOutcome
    const logIt = (outcome: EndpointOutcome): WebhookLogRecord =>
      deps.log.add(logEntry(request, outcome.status, outcome.reason ?? null, raw))
    const write = (): Promise<Committed> =>
      deps.queue.enqueue(() => {
        const outcome = handler(result.data, ctx)
        if (outcome.bodySha256 && !state.bodyDigest) state.bodyDigest = outcome.bodySha256
        return { outcome, record: logIt(outcome) }
      })
    let committed: Committed
    try {
      if (endpoint === 'attendee-sync' && deps.applySync) committed = await deps.applySync(result.data as AttendeeSyncPayload, logIt)
      else if (endpoint === 'cvent' && deps.attendeeWriters) committed = await deps.attendeeWriters(write)
      else committed = await write()
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

  app.addHook('onClose', (_app, done) => {
    if (!deps.refusals) refusals.close()
    done()
  })

  return app
}

declare module 'fastify' {
  interface FastifyContextConfig {
    endpoint?: EndpointName
  }
}
