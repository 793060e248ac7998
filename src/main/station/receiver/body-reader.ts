// Reading a webhook body, with memory bounded before its signature is known. A request without a
// well-formed signature header is refused before a byte of its body is read; the HMAC is computed
// as the chunks arrive; a body over LARGE_BODY_BYTES (by Content-Length, or once a chunked one
// passes it) is read only while one of a few large-body slots is free — the others get 503 with
// Retry-After; and `100 Continue` is sent only once the station has decided it wants the body.
import type { FastifyRequest } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EndpointName } from '../../../shared/webhooks'
import { SIGNATURE_HEADER, createVerifier, parseSignature, type SignatureScheme } from './signature'

/** Bodies above this size need a large-body slot (attendee-sync; every other endpoint stops at 1 MiB). */
export const LARGE_BODY_BYTES = 1024 * 1024
/** Large bodies read at the same time: 2 × 64 MiB is the most unverified bytes held at once. */
export const DEFAULT_LARGE_BODY_SLOTS = 2
/** What a refused large body is told to wait (s). */
export const LARGE_BODY_RETRY_AFTER_S = 5

export const schemeOf = (endpoint: EndpointName): SignatureScheme => (endpoint === 'cvent' ? 'cvent' : 'gxp')

export type BodyRefusalKind = 'signature' | 'too_large' | 'busy' | 'length' | 'aborted'

/** Why a body was not read (or not read to the end): the receiver answers it in the documented shape. */
export class BodyRefusal extends Error {
  override name = 'BodyRefusal'
  constructor(
    readonly kind: BodyRefusalKind,
    reason: string,
  ) {
    super(reason)
  }
}

/** What the handler gets: the exact bytes, and whether the signature header matched them. */
export interface ReceivedBody {
  raw: Buffer
  verified: boolean
}

export interface LargeBodySlots {
  /** A release function, or null when every slot is taken. */
  tryAcquire(): (() => void) | null
  inUse(): number
}

export function createLargeBodySlots(size = DEFAULT_LARGE_BODY_SLOTS): LargeBodySlots {
  let used = 0
  return {
    tryAcquire() {
      if (used >= size) return null
      used++
      let released = false
      return () => {
        if (released) return
        released = true
        used--
      }
    },
    inUse: () => used,
  }
}

export interface BodyReaderDeps {
  keys: (endpoint: EndpointName) => readonly Buffer[]
  slots: LargeBodySlots
  largeBodyBytes?: number
  /** The response the body belongs to (for `100 Continue`, and to free a slot when it is done). */
  responseOf: (request: FastifyRequest) => ServerResponse | undefined
}

const expectsContinue = (request: FastifyRequest): boolean => String(request.headers.expect ?? '').toLowerCase() === '100-continue'

/** Fastify's content-type parser for webhook bodies (registered for the JSON types). */
export function createBodyReader(deps: BodyReaderDeps) {
  const large = deps.largeBodyBytes ?? LARGE_BODY_BYTES

  return function readBody(
    request: FastifyRequest,
    payload: IncomingMessage,
    done: (err: Error | null, body?: ReceivedBody) => void,
  ): void {
    const endpoint = request.routeOptions.config.endpoint
    if (!endpoint) {
      done(new BodyRefusal('signature', 'not a webhook endpoint'))
      return
    }
    const limit = request.routeOptions.bodyLimit
    const header = request.headers['content-length']
    const declared = header === undefined ? null : Number(header)
    if (declared !== null && declared > limit) {
      done(new BodyRefusal('too_large', 'body too large'))
      return
    }
    const scheme = schemeOf(endpoint)
    const digest = parseSignature(scheme, request.headers[SIGNATURE_HEADER[scheme]])
    if (!digest) {
      done(new BodyRefusal('signature', 'signature missing or malformed'))
      return
    }
    const res = deps.responseOf(request)
    let release: (() => void) | null = null
    const takeSlot = (): boolean => {
      release = deps.slots.tryAcquire()
      if (!release) return false
      // Held until the answer is sent (the parsed body lives that long), or the client goes away.
      const free = (): void => release?.()
      res?.once('finish', free)
      res?.once('close', free)
      return true
    }
    if (declared !== null && declared > large && !takeSlot()) {
      done(new BodyRefusal('busy', `busy: ${deps.slots.inUse()} large bodies are being received`))
      return
    }
    if (expectsContinue(request) && res && typeof res.writeContinue === 'function') res.writeContinue()

    const verifier = createVerifier(digest, deps.keys(endpoint))
    // With a Content-Length the bytes go straight into one buffer (pages not yet written cost no
    // memory); a chunked body is kept as chunks and joined once.
    let whole: Buffer | null = null
    const chunks: Buffer[] = []
    let received = 0
    let finished = false

    const finish = (err: Error | null, body?: ReceivedBody): void => {
      if (finished) return
      finished = true
      payload.removeListener('data', onData)
      payload.removeListener('end', onEnd)
      payload.removeListener('error', onError)
      payload.removeListener('close', onClose)
      done(err, body)
    }
    function onData(chunk: Buffer): void {
      if (received + chunk.length > limit) {
        finish(new BodyRefusal('too_large', 'body too large'))
        return
      }
      if (declared === null && release === null && received + chunk.length > large && !takeSlot()) {
        finish(new BodyRefusal('busy', `busy: ${deps.slots.inUse()} large bodies are being received`))
        return
      }
      verifier.update(chunk)
      if (declared !== null) {
        if (received + chunk.length > declared) {
          finish(new BodyRefusal('length', 'content length does not match the body'))
          return
        }
        whole ??= Buffer.allocUnsafe(declared)
        chunk.copy(whole, received)
      } else chunks.push(chunk)
      received += chunk.length
    }
    function onEnd(): void {
      if (declared !== null && received !== declared) {
        finish(new BodyRefusal('length', 'content length does not match the body'))
        return
      }
      const raw = declared !== null ? (whole ?? Buffer.alloc(0)) : Buffer.concat(chunks, received)
      finish(null, { raw, verified: verifier.matches() })
    }
    function onError(): void {
      finish(new BodyRefusal('aborted', 'the client went away before the body was complete'))
    }
    function onClose(): void {
      if (!payload.complete) onError()
    }
    payload.on('data', onData)
    payload.on('end', onEnd)
    payload.on('error', onError)
    payload.on('close', onClose)
    payload.resume()
  }
}
