// Per-endpoint allowlists compiled into net.BlockList matchers; hits counted in memory.
import { BlockList } from 'node:net'
import { normalizeClientAddress, parseAllowlistEntry, type AllowlistEntry } from '../../../shared/allowlist'
import { ENDPOINTS, type EndpointName } from '../../../shared/webhooks'

interface Compiled {
  id: number
  list: BlockList
}

export type SourceGuard = ReturnType<typeof createSourceGuard>

export type GuardVerdict = { allowed: true; entryId: number | null } | { allowed: false }

export function createSourceGuard() {
  let rules = new Map<EndpointName, Compiled[]>()
  let hits = new Map<number, { count: number; at: number }>()

  return {
    /** Replaces every rule at once (called at start and whenever the allowlist changes). */
    load(entries: readonly AllowlistEntry[]): void {
      const next = new Map<EndpointName, Compiled[]>(ENDPOINTS.map((e) => [e, []]))
      for (const e of entries) {
        const parsed = parseAllowlistEntry(e.entry)
        const bucket = next.get(e.endpoint as EndpointName)
        if (!parsed.ok || !bucket) continue
        const list = new BlockList()
        const type = parsed.value.family
        if (parsed.value.prefix === (type === 'ipv4' ? 32 : 128)) list.addAddress(parsed.value.address, type)
        else list.addSubnet(parsed.value.address, parsed.value.prefix, type)
        bucket.push({ id: e.id, list })
      }
      rules = next
    },
    check(endpoint: EndpointName, clientAddress: string): GuardVerdict {
      const bucket = rules.get(endpoint)
      if (!bucket || bucket.length === 0) return { allowed: true, entryId: null }
      const address = normalizeClientAddress(clientAddress)
      const type = address.includes(':') ? 'ipv6' : 'ipv4'
      for (const rule of bucket) {
        if (rule.list.check(address, type)) {
          const h = hits.get(rule.id)
          if (h) {
            h.count++
            h.at = Date.now()
          } else hits.set(rule.id, { count: 1, at: Date.now() })
          return { allowed: true, entryId: rule.id }
        }
      }
      return { allowed: false }
    },
    /** Hits counted since the last call, to be added to the store. */
    takeHits(): Map<number, { count: number; at: number }> {
      const taken = hits
      hits = new Map()
      return taken
    },
  }
}
