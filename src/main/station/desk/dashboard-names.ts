// The names the dashboard answers to. A page whose own name rebinds to 127.0.0.1 (DNS rebinding)
// controls the Host header it sends, so anything not a name of this station is refused (421).
import { hostname, networkInterfaces } from 'node:os'

/** The host part of a Host header (`[::1]:8080` → `::1`, `Gate.Local.:80` → `gate.local`); null when malformed. */
export function hostOfHeader(header: string | undefined): string | null {
  if (header === undefined) return null
  const h = header.trim().toLowerCase()
  if (h === '' || h.length > 255) return null
  let name: string
  if (h.startsWith('[')) {
    const end = h.indexOf(']')
    if (end < 0) return null
    name = h.slice(1, end)
    const rest = h.slice(end + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null
  } else {
    const parts = h.split(':')
    if (parts.length > 2) return null
    if (parts.length === 2 && !/^\d{1,5}$/.test(parts[1]!)) return null
    name = parts[0]!
  }
  name = name.replace(/\.$/, '')
  return /^[a-z0-9.\-:%_]+$/.test(name) ? name : null
}

const isLoopbackName = (name: string): boolean => name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)

/** The names an admin adds (`--dashboard-name`, GATEHOUSE_DASHBOARD_NAMES="desk.venue.lan,10.0.0.5"). */
export function parseDashboardNames(raw: string | readonly string[] | undefined): string[] {
  const list = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw
  return list
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase().replace(/\.$/, ''))
    .filter((s) => s !== '')
}

export interface StationNames {
  /** Whether a Host header (or an Origin's host) names this station. */
  accepts(host: string | undefined): boolean
  /** Every name accepted now, for the refusal's message and the README. */
  list(): string[]
}

/**
 * Loopback names, the listening address, this machine's addresses and host name (LAN addresses
 * are read again at most every 30 s: a DHCP lease may change while the station runs), and extras.
 */
export function stationNames(options: { bindHost?: string; extra?: readonly string[]; refreshMs?: number } = {}): StationNames {
  const refreshMs = options.refreshMs ?? 30_000
  let cached = new Set<string>()
  let readAt = -Infinity
  const current = (): Set<string> => {
    if (Date.now() - readAt < refreshMs) return cached
    const names = new Set<string>(['localhost', '127.0.0.1', '::1'])
    // 0.0.0.0 and :: are where it listens, not names anyone is sent to.
    if (options.bindHost && options.bindHost !== '0.0.0.0' && options.bindHost !== '::') names.add(options.bindHost.toLowerCase())
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.address.toLowerCase().replace(/%.*$/, ''))
    }
    const own = hostname().toLowerCase()
    if (own) {
      names.add(own)
      if (!own.includes('.')) names.add(`${own}.local`)
    }
    for (const n of options.extra ?? []) names.add(n)
    cached = names
    readAt = Date.now()
    return names
  }
  return {
    accepts(header) {
      const name = hostOfHeader(header)
      if (name === null) return false
      return isLoopbackName(name) || current().has(name)
    },
    list: () => [...current()],
  }
}
