// Signing the Standard Webhooks way (spec 1.0.0, "Signature scheme" and "Webhook headers"): an
// HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" keyed with the base64-decoded secret,
// sent as `webhook-signature: v1,<base64>`. Any Standard Webhooks library verifies it.
import { createHmac, randomBytes } from 'node:crypto'

export const SECRET_PREFIX = 'whsec_'
/** 32 random bytes: the spec asks for at least 24 (and at most 64). */
const SECRET_BYTES = 32

export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`

/** The HMAC key of a `whsec_…` secret; refuses anything else rather than signing with a wrong key. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a notification secret starts with whsec_')
  const encoded = secret.slice(SECRET_PREFIX.length)
  const key = Buffer.from(encoded, 'base64')
  if (key.length < 24 || key.toString('base64') !== encoded)
    throw new Error('a notification secret is whsec_ and at least 24 bytes in base64')
  return key
}

export interface SignedHeaders {
  'webhook-id': string
  'webhook-timestamp': string
  'webhook-signature': string
}

/**
 * The three headers for one attempt. `id` stays the same on every retry of a message (it is the
 * receiver's idempotency key); `timestampSeconds` is the attempt's own time (receivers refuse
 * stale ones), so a retry is signed again.
 */
export function signatureHeaders(secret: string, id: string, timestampSeconds: number, body: string): SignedHeaders {
  // The spec forbids '.' in the signed metadata (it would let one field pose as another).
  if (id.includes('.') || id.length === 0) throw new Error('a webhook-id is non-empty and has no "."')
  const timestamp = String(Math.floor(timestampSeconds))
  const signature = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` }
}

/** `whsec_••••••••AbCd`: shown on the desk and in `notify list` until an admin reveals it. */
export const maskSecret = (secret: string): string => `${SECRET_PREFIX}${'•'.repeat(8)}${secret.slice(-4)}`
