// Group commit: writes queued in the same turn of the event loop run in one transaction, and
// each caller's promise settles only after that transaction is committed (durably, with
// synchronous=FULL). Each write runs in its own savepoint so one failing write fails alone.
// Memory that mirrors the store (anti-passback's recent grants) follows it through `onUndo`:
// what a write changed in memory is put back when its savepoint or its batch is rolled back.
// The station's connection never waits inside SQLite for another process's lock (busy_timeout
// 0, which would block the event loop): a batch that finds the store locked is retried a few
// milliseconds later, and each write fails as a store fault (503) once it has waited its limit.
import { performance } from 'node:perf_hooks'
import type { Db } from './db'
import { createWalGuard } from './wal-guard'

interface Pending {
  run: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
  /** performance.now() after which a locked store fails this write. */
  deadline: number
}

export interface CommitQueue {
  /** Runs `write` inside the next batch transaction; resolves with its result once committed. */
  enqueue<T>(write: () => T): Promise<T>
  /** Commits whatever is queued now, without waiting for a lock (shutdown). */
  flush(): void
  /** Writes now waiting for another process's lock (0 when the store is free). */
  lockedWrites(): number
  /**
   * Called inside a write: `undo` puts back what the write changed in memory, and runs (newest
   * first) if the write does not commit. Outside a batch (a test's own transaction) it is dropped.
   */
  onUndo: (undo: () => void) => void
}

export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.name = 'StoreUnavailableError'
  }
}

/** SQLite errors that say the store itself is unusable (not that one write was wrong). */
export function isStoreFault(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM|PERM|AUTH)/.test(code)
}

/** Another connection holds the write lock: worth trying again shortly. */
const isLocked = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** How long a write waits, in total, for a lock held by another process before it fails (ms). */
export const DEFAULT_LOCK_WAIT_MS = 40
/** How often a locked batch is tried again (ms). */
const LOCK_RETRY_MS = 5

export interface CommitQueueOptions {
  /** Told of every commit that failed as a whole (disk full, locked, read-only…). */
  onFailure?: (err: unknown) => void
  onSuccess?: () => void
  /** See DEFAULT_LOCK_WAIT_MS. */
  lockWaitMs?: number
}

export function createCommitQueue(db: Db, options: CommitQueueOptions = {}): CommitQueue {
  const lockWaitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS
  let queue: Pending[] = []
  let scheduled = false
  let retryTimer: NodeJS.Timeout | undefined
  let locked = 0
  const begin = db.prepare('BEGIN IMMEDIATE')
  const commit = db.prepare('COMMIT')
  const savepoint = db.prepare('SAVEPOINT w')
  const release = db.prepare('RELEASE w')
  const rollbackTo = db.prepare('ROLLBACK TO w')
  const wal = createWalGuard(db)
  /** Undo steps of the batch running now; null between batches. */
  let undoing: Array<() => void> | null = null
  const undoTo = (mark: number): void => {
    const steps = undoing!
    while (steps.length > mark) steps.pop()!()
  }

  function flush(final = false): void {
    scheduled = false
    clearTimeout(retryTimer)
    retryTimer = undefined
    locked = 0
    const batch = queue
    queue = []
    if (batch.length === 0) return
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = []
    try {
      const repaired = wal.ensure()
      // Reported as a fault that the commit below clears: the desk records a resolved store alert.
      if (repaired) options.onFailure?.(new Error(repaired))
      begin.run()
    } catch (err) {
      // Nothing has run yet: a locked store is tried again soon, without blocking the event loop.
      if (!final && isLocked(err)) {
        waitForLock(batch, err)
        return
      }
      fail(batch, err)
      return
    }
    undoing = []
    try {
      for (const item of batch) {
        const mark = undoing.length
        savepoint.run()
        try {
          results.push({ ok: true, value: item.run() })
          release.run()
        } catch (error) {
          if (isStoreFault(error)) throw error
          rollbackTo.run()
          release.run()
          undoTo(mark)
          results.push({ ok: false, error })
        }
      }
      commit.run()
      undoing = null
      wal.afterCommit()
    } catch (err) {
      if (undoing) undoTo(0)
      undoing = null
      if (db.inTransaction) {
        try {
          db.exec('ROLLBACK')
        } catch {
          /* the connection already rolled back */
        }
      }
      fail(batch, err)
      return
    }
    options.onSuccess?.()
    batch.forEach((item, i) => {
      const r = results[i]!
      if (r.ok) item.resolve(r.value)
      else item.reject(r.error)
    })
  }

  /** Fails the writes that have waited long enough; the others (and any queued since) go in the next try. */
  function waitForLock(batch: Pending[], err: unknown): void {
    const now = performance.now()
    const expired = batch.filter((item) => item.deadline <= now)
    const waiting = batch.filter((item) => item.deadline > now)
    if (expired.length > 0) fail(expired, err)
    queue = [...waiting, ...queue]
    if (queue.length === 0) return
    locked = queue.length
    scheduled = true
    retryTimer = setTimeout(flush, LOCK_RETRY_MS)
  }

  function fail(batch: Pending[], err: unknown): void {
    options.onFailure?.(err)
    const wrapped = new StoreUnavailableError(err)
    for (const item of batch) item.reject(wrapped)
  }

  return {
    enqueue<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run: write, resolve: resolve as (v: unknown) => void, reject, deadline: performance.now() + lockWaitMs })
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    flush: () => flush(true),
    lockedWrites: () => locked,
    onUndo: (undo) => void undoing?.push(undo),
  }
}
