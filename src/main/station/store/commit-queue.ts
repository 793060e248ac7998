// Group commit: writes queued in the same turn of the event loop run in one transaction, and
// each caller's promise settles only after that transaction is committed (durably, with
// synchronous=FULL). Each write runs in its own savepoint so one failing write fails alone.
import type { Db } from './db'
import { createWalGuard } from './wal-guard'

interface Pending {
  run: () => unknown
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

export interface CommitQueue {
  /** Runs `write` inside the next batch transaction; resolves with its result once committed. */
  enqueue<T>(write: () => T): Promise<T>
  /** Commits whatever is queued now (shutdown). */
  flush(): void
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

export interface CommitQueueOptions {
  /** Told of every commit that failed as a whole (disk full, locked, read-only…). */
  onFailure?: (err: unknown) => void
  onSuccess?: () => void
}

export function createCommitQueue(db: Db, options: CommitQueueOptions = {}): CommitQueue {
  let queue: Pending[] = []
  let scheduled = false
  const begin = db.prepare('BEGIN IMMEDIATE')
  const commit = db.prepare('COMMIT')
  const savepoint = db.prepare('SAVEPOINT w')
  const release = db.prepare('RELEASE w')
  const rollbackTo = db.prepare('ROLLBACK TO w')
  const wal = createWalGuard(db)

  function flush(): void {
    scheduled = false
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
      fail(batch, err)
      return
    }
    try {
      for (const item of batch) {
        savepoint.run()
        try {
          results.push({ ok: true, value: item.run() })
          release.run()
        } catch (error) {
          if (isStoreFault(error)) throw error
          rollbackTo.run()
          release.run()
          results.push({ ok: false, error })
        }
      }
      commit.run()
      wal.afterCommit()
    } catch (err) {
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

  function fail(batch: Pending[], err: unknown): void {
    options.onFailure?.(err)
    const wrapped = new StoreUnavailableError(err)
    for (const item of batch) item.reject(wrapped)
  }

  return {
    enqueue<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ run: write, resolve: resolve as (v: unknown) => void, reject })
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    flush,
  }
}
