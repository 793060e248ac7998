// Strict parsing of allowlist entries (IPv4/IPv6 addresses and CIDR ranges) into canonical form.
// Shared so the desk can validate inline exactly as the station does.
import ipaddr from 'ipaddr.js'

export interface ParsedEntry {
  /** Canonical text: `10.0.0.0/8`, `2001:db8::/32`, `192.168.1.20`. */
  entry: string
  family: 'ipv4' | 'ipv6'
  /** Network address and prefix length (32/128 for a single address). */
  address: string
  prefix: number
}

export type ParseResult = { ok: true; value: ParsedEntry } | { ok: false; error: string }

const V4_STRICT = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/
const V6_CHARS = /^[0-9A-Fa-f:.]+$/

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | string {
  if (text.includes(':')) {
    if (!V6_CHARS.test(text) || !ipaddr.IPv6.isValid(text)) return `"${text}" is not a valid IPv6 address`
    const v6 = ipaddr.IPv6.parse(text)
    // An IPv4-mapped IPv6 entry means the IPv4 address: store it as such.
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6
  }
  if (!V4_STRICT.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return `"${text}" is not a valid IPv4 address (four decimal parts, no leading zeros)`
  }
  return ipaddr.IPv4.parse(text)
}

/** Parses `addr` or `addr/prefix`, rejecting anything ambiguous (`012.0.0.1`, `127.1`, `/33`). */
export function parseAllowlistEntry(input: string): ParseResult {
  const text = input.trim()
  if (text === '') return { ok: false, error: 'Enter an IP address or CIDR range' }
  if (text.length > 64) return { ok: false, error: 'Too long for an IP address or CIDR range' }
  const [addrText, prefixText, extra] = text.split('/')
  if (extra !== undefined || addrText === undefined) return { ok: false, error: `"${text}" is not an address or CIDR range` }
  const parsed = parseAddress(addrText)
  if (typeof parsed === 'string') return { ok: false, error: parsed }
  const family = parsed.kind()
  const bits = family === 'ipv4' ? 32 : 128
  const writtenAsV6 = addrText.includes(':')
  let prefix = bits
  if (prefixText !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > (writtenAsV6 ? 128 : 32)) {
      return { ok: false, error: `"/${prefixText}" is not a valid prefix length for ${writtenAsV6 ? 'IPv6 (0–128)' : 'IPv4 (0–32)'}` }
    }
    prefix = Number(prefixText)
    // A mapped IPv6 range (::ffff:10.0.0.0/104) becomes the IPv4 range it means.
    if (writtenAsV6 && family === 'ipv4') {
      if (prefix < 96) return { ok: false, error: 'An IPv4-mapped range needs a prefix of at least /96' }
      prefix -= 96
    }
  }
  const network =
    family === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${parsed.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/${prefix}`)
  const address = network.toString()
  const entry = prefix === bits ? address : `${address}/${prefix}`
  return { ok: true, value: { entry, family, address, prefix } }
}

/** Canonical client address: IPv4-mapped IPv6 (`::ffff:10.0.0.5`) becomes plain IPv4. */
export function normalizeClientAddress(address: string): string {
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7)
  if (address.includes(':') && ipaddr.IPv6.isValid(address)) {
    const v6 = ipaddr.IPv6.parse(address)
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toString()
  }
  return address
}

export interface AllowlistEntry {
  id: number
  endpoint: string
  entry: string
  label: string | null
  created_at: string
  hits: number
  last_hit_at: string | null
}

/** A source accepted in the last hour that a proposed allowlist would refuse (allowlist:preview). */
export interface LockedOutSource {
  address: string
  /** Gateways that posted from it: their status reports, and the gateways of readers it sent scans for. */
  gateway_ids: string[]
  requests: number
  last_seen: string
}
