// The per-reader duplicate window's memory: each person's latest grants at each reader, so
// "granted here in the last N seconds?" is answered without an index on decisions. An index led
// by the attendee puts every grant on a random page of the file, the costliest write of a scan;
// only this station process writes decisions, so memory can be the index.
//
// It holds every grant since `horizon`: loaded from the store at the first question, then kept by
// record(). A question about older grants (a window widened since) first loads the missing span
// (through decisions_decided); grants older than the widest window asked for (at least a minute)
// are dropped. What a write recorded is undone with it (the commit queue's onUndo), so a scan
// whose write rolled back leaves no grant behind.
import type { Db } from '../store/db'

/** The two latest grants (by time) of one person at one reader: enough to answer "another than `except`". */
interface Latest {
  id: number
  at: number
  prevId: number
  prevAt: number
}

interface GrantRow {
  id: number
  attendee_id: number
  reader_id: string
  decided_at: number
}

export interface RecentGrantsOptions {
  /** Registers how to put memory back if the running write does not commit. */
  onUndo: (undo: () => void) => void
  /** Shortest span kept in memory (ms); the default is a minute. */
  minSpanMs?: number
}

export type RecentGrants = ReturnType<typeof createRecentGrants>

const NONE = -Infinity
const keyOf = (attendeeId: number, readerId: string): string => `${attendeeId} ${readerId}`

export function createRecentGrants(db: Db, options: RecentGrantsOptions) {
  const minSpanMs = options.minSpanMs ?? 60_000
  const grantsBetween = db.prepare<[number, number], GrantRow>(
    `SELECT id, attendee_id, reader_id, decided_at FROM decisions
     WHERE decided_at >= ? AND decided_at < ? AND granted = 1 AND attendee_id IS NOT NULL`,
  )
  const latest = new Map<string, Latest>()
  /** Every grant decided at or after this is in memory; null until first loaded. */
  let horizon: number | null = null
  let widestSpanMs = minSpanMs

  function add(key: string, id: number, at: number): void {
    const e = latest.get(key)
    if (!e) return void latest.set(key, { id, at, prevId: 0, prevAt: NONE })
    if (id === e.id || id === e.prevId) return
    if (at >= e.at) {
      e.prevId = e.id
      e.prevAt = e.at
      e.id = id
      e.at = at
    } else if (at > e.prevAt) {
      e.prevId = id
      e.prevAt = at
    }
  }

  /** Makes memory hold every grant decided at or after `since`. */
  function cover(since: number): void {
    if (horizon !== null && since >= horizon) return
    const first = horizon === null
    for (const r of grantsBetween.iterate(since, horizon ?? Number.MAX_SAFE_INTEGER))
      add(keyOf(r.attendee_id, r.reader_id), r.id, r.decided_at)
    horizon = since
    // A first load inside a write may have read that write's own grants: if it rolls back, start over.
    if (first)
      options.onUndo(() => {
        latest.clear()
        horizon = null
      })
  }

  /**
   * Forgets grants older than any window asked about. A pass walks every person-reader pair, on a
   * scan's write: it runs only once the horizon is a tenth of the window behind, so each grant
   * pays for a constant share of passes, and memory holds at most 1.1 windows.
   */
  function prune(now: number): void {
    if (horizon === null) return
    const cutoff = now - widestSpanMs
    if (cutoff - horizon < Math.max(1000, widestSpanMs / 10)) return
    for (const [key, e] of latest) if (e.at < cutoff) latest.delete(key)
    horizon = cutoff
  }

  return {
    /** A grant of this attendee at this reader since `since`, other than decision `except`. */
    grantedSince(attendeeId: number, readerId: string, since: number, except: number, now: number): boolean {
      widestSpanMs = Math.max(widestSpanMs, now - since)
      cover(since)
      const e = latest.get(keyOf(attendeeId, readerId))
      if (!e) return false
      return e.id !== except ? e.at >= since : e.prevAt >= since
    },
    /** A grant just written (inside the write that stored it). */
    record(attendeeId: number, readerId: string, id: number, at: number): void {
      if (horizon === null) return // not loaded yet: the first load reads it from the store
      prune(at)
      const key = keyOf(attendeeId, readerId)
      const before = latest.get(key)
      const saved = before ? { ...before } : undefined
      add(key, id, at)
      options.onUndo(() => (saved ? latest.set(key, saved) : latest.delete(key)))
    },
    /** How many person-reader pairs are held (for tests and the bench). */
    size: (): number => latest.size,
  }
}
