// Before an allowlist change is saved: which sources that were accepted in the last hour would
// the new list refuse, with the gateways each one spoke for (from their status reports, and the
// gateways of the readers they reported scans for). The desk shows them and asks to confirm.
import type { Db } from '../store/db'
import type { AllowlistEntry, LockedOutSource } from '../../../shared/allowlist'
import { endpointPath, type EndpointName } from '../../../shared/webhooks'
import { createSourceGuard } from '../receiver/source-guard'

export const PREVIEW_WINDOW_MS = 3600_000

export function createAllowlistPreview(db: Db) {
  const seen = db.prepare<[string, number], { address: string; requests: number; last_seen: number }>(
    `SELECT source_ip AS address, count(*) AS requests, max(received_at) AS last_seen FROM webhook_log
     WHERE endpoint = ? AND received_at >= ? AND status < 400 GROUP BY source_ip ORDER BY source_ip`,
  )
  // Gateways by the address they posted from: their own status reports, and scans at their readers.
  const gatewaysBySource = db.prepare<[number, number], { address: string; gateway_id: string }>(
    `SELECT DISTINCT source_ip AS address, json_extract(CAST(body AS TEXT), '$.gateway_id') AS gateway_id FROM webhook_log
       WHERE endpoint = '/webhook/v1/mqtt-gateway-status' AND received_at >= ? AND status < 400 AND body IS NOT NULL
         AND json_valid(CAST(body AS TEXT)) AND json_type(CAST(body AS TEXT), '$.gateway_id') = 'text'
     UNION
     SELECT DISTINCT w.source_ip, g.gateway_id FROM webhook_log w
       JOIN readers r ON w.body IS NOT NULL AND json_valid(CAST(w.body AS TEXT)) AND r.reader_id = json_extract(CAST(w.body AS TEXT), '$.reader_id')
       JOIN gateways g ON g.id = r.gateway_id
       WHERE w.endpoint = '/webhook/v1/access-event' AND w.received_at >= ? AND w.status < 400`,
  )

  return {
    /** Which gateways posted from which address since `since` (accepted requests only). */
    knownGateways: (since: number): Array<{ address: string; gateway_id: string }> => gatewaysBySource.all(since, since),
    /**
     * The sources `entries` (the whole proposed list, already validated) would refuse. An empty
     * list refuses nobody: it accepts any source (the desk asks about that separately).
     */
    lockedOut(endpoint: EndpointName, entries: readonly string[], now = Date.now()): LockedOutSource[] {
      if (entries.length === 0) return []
      const guard = createSourceGuard()
      guard.load(
        entries.map((entry, i): AllowlistEntry => ({
          id: i + 1,
          endpoint,
          entry,
          label: null,
          created_at: '',
          hits: 0,
          last_hit_at: null,
        })),
      )
      const since = now - PREVIEW_WINDOW_MS
      const gateways = new Map<string, Set<string>>()
      for (const g of gatewaysBySource.all(since, since)) {
        if (!gateways.has(g.address)) gateways.set(g.address, new Set())
        gateways.get(g.address)!.add(g.gateway_id)
      }
      return seen
        .all(endpointPath(endpoint), since)
        .filter((s) => !guard.check(endpoint, s.address).allowed)
        .map((s) => ({
          address: s.address,
          gateway_ids: [...(gateways.get(s.address) ?? [])].sort(),
          requests: s.requests,
          last_seen: new Date(s.last_seen).toISOString(),
        }))
    },
  }
}
