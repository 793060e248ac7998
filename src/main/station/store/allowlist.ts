// Allowlist entries per endpoint, stored canonical. No entries for an endpoint = any source allowed.
import type { Db } from './db'
import { parseAllowlistEntry, type AllowlistEntry } from '../../../shared/allowlist'
import type { EndpointName } from '../../../shared/webhooks'

interface Row {
  id: number
  endpoint: string
  entry: string
  label: string | null
  created_at: number
  hits: number
  last_hit_at: number | null
}

const toEntry = (r: Row): AllowlistEntry => ({
  ...r,
  created_at: new Date(r.created_at).toISOString(),
  last_hit_at: r.last_hit_at === null ? null : new Date(r.last_hit_at).toISOString(),
})

export class AllowlistInputError extends Error {
  override name = 'AllowlistInputError'
}

export type AllowlistStore = ReturnType<typeof createAllowlistStore>

export function createAllowlistStore(db: Db) {
  const insert = db.prepare<[string, string, string | null, number], Row>(
    `INSERT INTO allowlist (endpoint, entry, label, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (endpoint, entry) DO UPDATE SET label = excluded.label RETURNING *`,
  )
  const del = db.prepare<[string, string]>('DELETE FROM allowlist WHERE endpoint = ? AND entry = ?')
  const delById = db.prepare<[string, number]>('DELETE FROM allowlist WHERE endpoint = ? AND id = ?')
  const list = db.prepare<[string], Row>('SELECT * FROM allowlist WHERE endpoint = ? ORDER BY id')
  const all = db.prepare<[], Row>('SELECT * FROM allowlist ORDER BY endpoint, id')
  const hit = db.prepare<[number, number, number]>('UPDATE allowlist SET hits = hits + ?, last_hit_at = ? WHERE id = ?')

  return {
    add(endpoint: EndpointName, entryText: string, label?: string | null): AllowlistEntry {
      const parsed = parseAllowlistEntry(entryText)
      if (!parsed.ok) throw new AllowlistInputError(parsed.error)
      const cleanLabel = label?.trim() ? label.trim().slice(0, 100) : null
      return toEntry(insert.get(endpoint, parsed.value.entry, cleanLabel, Date.now())!)
    },
    /** Removes by entry text (any spelling of it) or by numeric id; returns whether one was removed. */
    remove(endpoint: EndpointName, entryOrId: string | number): boolean {
      if (typeof entryOrId === 'number') return delById.run(endpoint, entryOrId).changes > 0
      const parsed = parseAllowlistEntry(entryOrId)
      if (!parsed.ok) throw new AllowlistInputError(parsed.error)
      return del.run(endpoint, parsed.value.entry).changes > 0
    },
    list(endpoint: EndpointName): AllowlistEntry[] {
      return list.all(endpoint).map(toEntry)
    },
    all(): AllowlistEntry[] {
      return all.all().map(toEntry)
    },
    /** Adds counted hits (kept in memory on the hot path and flushed periodically). */
    recordHits(hits: ReadonlyMap<number, { count: number; at: number }>): void {
      for (const [id, h] of hits) hit.run(h.count, h.at, id)
    },
  }
}
