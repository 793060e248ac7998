// HMAC-SHA256 over the exact body bytes, compared in constant time; computed as the body streams in.
import { createHmac, timingSafeEqual } from 'node:crypto'

export type SignatureScheme = 'gxp' | 'cvent'

export const SIGNATURE_HEADER: Record<SignatureScheme, string> = {
  gxp: 'x-gxp-signature',
  cvent: 'x-cvent-signature',
}

export const sign = (key: Buffer | string, body: Buffer | string): string => createHmac('sha256', key).update(body).digest('hex')

/** The header value a sender puts on `body`: `sha256=<hex>` for GxP, bare hex for Cvent. */
export const signatureHeaderValue = (scheme: SignatureScheme, key: Buffer | string, body: Buffer | string): string =>
  scheme === 'gxp' ? `sha256=${sign(key, body)}` : sign(key, body)

const HEX64 = /^[0-9a-fA-F]{64}$/

/**
 * Extracts the 32-byte digest from a header value, or null when it is missing, duplicated or
 * malformed. GxP requires the `sha256=` prefix; Cvent sends bare hex and may add the prefix.
 */
export function parseSignature(scheme: SignatureScheme, header: string | string[] | undefined): Buffer | null {
  if (typeof header !== 'string') return null
  let hex = header.trim()
  const prefixed = hex.slice(0, 7).toLowerCase() === 'sha256='
  if (prefixed) hex = hex.slice(7)
  else if (scheme === 'gxp') return null
  if (!HEX64.test(hex)) return null
  return Buffer.from(hex, 'hex')
}

/** True when `digest` is the HMAC of `body` under any of `keys` (current secret, then one in grace). */
export function verify(digest: Buffer, body: Buffer, keys: readonly Buffer[]): boolean {
  let ok = false
  for (const key of keys) {
    const expected = createHmac('sha256', key).update(body).digest()
    // Check every key so the time taken does not say which one matched.
    if (timingSafeEqual(expected, digest)) ok = true
  }
  return ok
}

/** `verify`, fed chunk by chunk as the body arrives: the body is never read twice. */
export function createVerifier(digest: Buffer, keys: readonly Buffer[]): { update(chunk: Buffer): void; matches(): boolean } {
  const macs = keys.map((key) => createHmac('sha256', key))
  return {
    update(chunk) {
      for (const mac of macs) mac.update(chunk)
    },
    matches() {
      let ok = false
      // Every key is checked, as in verify().
      for (const mac of macs) if (timingSafeEqual(mac.digest(), digest)) ok = true
      return ok
    },
  }
}
