// Allowlist entries per endpoint, stored canonical. No entries for an endpoint = any source allowed,
// so nothing here empties a list unless the caller confirms it (`open`). Run the edits in a write
// transaction (the commit queue): a replacement is then one commit, never "removed, then added".
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

/** The edit would leave the endpoint without entries (open to any source) and `open` was not given. */
export class AllowlistWouldOpenError extends Error {
  override name = 'AllowlistWouldOpenError'
  constructor(readonly endpoint: EndpointName) {
    super(`this leaves ${endpoint} with no allowlist entries: it would then accept requests from any source address`)
  }
}

export interface AllowlistEdit {
  /** Confirms that the list may end up empty (the endpoint then accepts any source). */
  open?: boolean
}

export interface NewAllowlistEntry {
  entry: string
  /** Kept as it is when omitted for an entry already on the list. */
  label?: string | null
}

const cleanLabel = (label: string | null | undefined): string | null => (label?.trim() ? label.trim().slice(0, 100) : null)

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
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM allowlist WHERE endpoint = ?')
  const keepLabel = db.prepare<[string, string, number], Row>(
    `INSERT INTO allowlist (endpoint, entry, label, created_at) VALUES (?, ?, NULL, ?)
     ON CONFLICT (endpoint, entry) DO NOTHING RETURNING *`,
  )

  const refuseOpening = (endpoint: EndpointName, edit: AllowlistEdit): void => {
    if (!edit.open && count.get(endpoint)!.n === 0) throw new AllowlistWouldOpenError(endpoint)
  }

  return {
    add(endpoint: EndpointName, entryText: string, label?: string | null): AllowlistEntry {
      const parsed = parseAllowlistEntry(entryText)
      if (!parsed.ok) throw new AllowlistInputError(parsed.error)
      return toEntry(insert.get(endpoint, parsed.value.entry, cleanLabel(label), Date.now())!)
    },
    /**
     * Removes by entry text (any spelling of it) or by numeric id; returns whether one was removed.
     * Removing the last entry throws AllowlistWouldOpenError unless `edit.open` (its own
     * transaction, a savepoint inside the caller's: the throw leaves the list as it was).
     */
    remove: db.transaction((endpoint: EndpointName, entryOrId: string | number, edit: AllowlistEdit = {}): boolean => {
      let removed: boolean
      if (typeof entryOrId === 'number') removed = delById.run(endpoint, entryOrId).changes > 0
      else {
        const parsed = parseAllowlistEntry(entryOrId)
        if (!parsed.ok) throw new AllowlistInputError(parsed.error)
        removed = del.run(endpoint, parsed.value.entry).changes > 0
      }
      if (removed) refuseOpening(endpoint, edit)
      return removed
    }),
    /**
     * Makes `entries` the endpoint's whole list: entries that stay keep their id, hits and (unless
     * given a new one) their label. Every entry is validated before anything changes; an empty result
     * on a list that had entries needs `edit.open`. One transaction (a savepoint inside the caller's).
     */
    replace: db.transaction((endpoint: EndpointName, entries: readonly NewAllowlistEntry[], edit: AllowlistEdit = {}): AllowlistEntry[] => {
      const wanted = new Map<string, NewAllowlistEntry>()
      for (const e of entries) {
        const parsed = parseAllowlistEntry(e.entry)
        if (!parsed.ok) throw new AllowlistInputError(`${e.entry.slice(0, 100)}: ${parsed.error}`)
        wanted.set(parsed.value.entry, { entry: parsed.value.entry, label: e.label ?? wanted.get(parsed.value.entry)?.label })
      }
      const before = list.all(endpoint)
      for (const row of before) if (!wanted.has(row.entry)) delById.run(endpoint, row.id)
      const now = Date.now()
      for (const e of wanted.values()) {
        if (e.label === undefined) keepLabel.get(endpoint, e.entry, now)
        else insert.get(endpoint, e.entry, cleanLabel(e.label), now)
      }
      if (before.length > 0) refuseOpening(endpoint, edit)
      return list.all(endpoint).map(toEntry)
    }),
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
