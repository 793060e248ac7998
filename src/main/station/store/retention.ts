// Retention: the webhook log and the access decisions are pruned by age, and — oldest first —
// while the store uses more than its size budget. Each step deletes one small batch per table so
// that the commit it rides in (shared with requests) stays short; the station schedules steps.
import type { Db } from './db'
import type { RetentionView } from '../../../shared/station-settings'

export const DEFAULT_RETENTION_DAYS = 30
export const DEFAULT_STORE_MAX_MB = 2048
export const RETENTION_BATCH_ROWS = 1000
/** The size budget never takes the last day of accepted requests and decisions (refusals it may). */
export const SIZE_PRUNE_MIN_AGE_MS = 86_400_000

export interface RetentionOptions {
  days: number
  maxMb: number
  batchRows?: number
}

export interface PruneResult {
  log: number
  decisions: number
  /** 'age', 'size' ('size-refused' when refused entries went first), or null when nothing was due. */
  cause: 'age' | 'size' | 'size-refused' | null
  /** A full batch was deleted: more is probably due. */
  more: boolean
}

export type Retention = ReturnType<typeof createRetention>

export function createRetention(db: Db, options: RetentionOptions) {
  const batch = options.batchRows ?? RETENTION_BATCH_ROWS
  const oldLog = db.prepare<[number, number]>(
    'DELETE FROM webhook_log WHERE id IN (SELECT id FROM webhook_log WHERE received_at < ? ORDER BY received_at LIMIT ?)',
  )
  const oldDecisions = db.prepare<[number, number]>(
    'DELETE FROM decisions WHERE id IN (SELECT id FROM decisions WHERE decided_at < ? ORDER BY decided_at LIMIT ?)',
  )
  // Refused requests (never verified) are the first to go when over budget, whatever their age:
  // a flood must not push out what was accepted.
  const refusedLog = db.prepare<[number]>(
    'DELETE FROM webhook_log WHERE id IN (SELECT id FROM webhook_log WHERE refused = 1 ORDER BY received_at LIMIT ?)',
  )
  const oldestLog = db.prepare<[], { at: number | null }>('SELECT min(received_at) AS at FROM webhook_log')
  const oldestDecision = db.prepare<[], { at: number | null }>('SELECT min(decided_at) AS at FROM decisions')

  /** Bytes in pages that hold data (the file does not shrink; freed pages are reused). */
  const usedBytes = (): number => {
    const pages = db.pragma('page_count', { simple: true }) as number
    const free = db.pragma('freelist_count', { simple: true }) as number
    return (pages - free) * (db.pragma('page_size', { simple: true }) as number)
  }

  return {
    usedBytes,
    /** One batch: rows past their age first; else, over budget, the oldest rows of either table. Run it in a write transaction. */
    step(now = Date.now()): PruneResult {
      const cutoff = now - options.days * 86_400_000
      const log = oldLog.run(cutoff, batch).changes
      const decisions = oldDecisions.run(cutoff, batch).changes
      if (log > 0 || decisions > 0) return { log, decisions, cause: 'age', more: log === batch || decisions === batch }
      if (usedBytes() <= options.maxMb * 1024 * 1024) return { log: 0, decisions: 0, cause: null, more: false }
      const refused = refusedLog.run(batch).changes
      if (refused > 0) return { log: refused, decisions: 0, cause: 'size-refused', more: true }
      // Over budget: trim whichever table reaches further back, so both keep about the same span.
      const l = oldestLog.get()?.at ?? null
      const d = oldestDecision.get()?.at ?? null
      if (l === null && d === null) return { log: 0, decisions: 0, cause: null, more: false }
      const fromLog = d === null || (l !== null && l <= d)
      const floor = now - SIZE_PRUNE_MIN_AGE_MS
      const n = (fromLog ? oldLog : oldDecisions).run(floor, batch).changes
      return { log: fromLog ? n : 0, decisions: fromLog ? 0 : n, cause: 'size', more: n > 0 }
    },
    view(): RetentionView {
      const l = oldestLog.get()?.at ?? null
      const d = oldestDecision.get()?.at ?? null
      return {
        days: options.days,
        max_mb: options.maxMb,
        store_used_bytes: usedBytes(),
        oldest_log_at: l === null ? null : new Date(l).toISOString(),
        oldest_decision_at: d === null ? null : new Date(d).toISOString(),
      }
    },
  }
}
