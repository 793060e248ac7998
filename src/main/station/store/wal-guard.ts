// Guards against the write-ahead log being deleted (or replaced) under an open connection. SQLite
// keeps writing to its open descriptor of the unlinked file, every commit "succeeds", other
// connections fail with SQLITE_IOERR_SHORT_READ, and a crash loses all of it. So the file's
// identity is checked around every commit batch: committed frames are copied into the database
// file while they can still be read, then a new log is started.
import { statSync } from 'node:fs'
import type { Db } from './db'

export interface WalGuard {
  /**
   * Before a batch: returns a description of the repair when the log had gone and was replaced,
   * nothing when it is intact; throws when it cannot be repaired now (another connection is open):
   * the commit queue fails the batch as a store fault.
   */
  ensure(): string | undefined
  /** After a commit: throws unless what was just committed is in files that survive a crash. */
  afterCommit(): void
}

export function createWalGuard(db: Db): WalGuard {
  const path = db.memory ? null : `${db.name}-wal`
  const identity = (): string | null => {
    const s = path ? statSync(path, { throwIfNoEntry: false }) : undefined
    return s ? `${s.dev}:${s.ino}` : null
  }
  // null: not created yet (SQLite creates it at the first transaction after a reset).
  let known = identity()

  const lost = (): boolean => {
    if (!path) return false
    const now = identity()
    if (known === null) {
      known = now
      return false
    }
    return now !== known
  }

  /** Copies every committed frame into the database file (and syncs it) through our descriptor. */
  function saveFrames(): void {
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>
    if (r?.busy) throw new Error(`${path} was deleted and another connection is reading; retrying`)
  }

  return {
    ensure() {
      if (!lost()) return undefined
      saveFrames()
      // Leaving WAL mode needs the only connection: while the CLI or a reader holds the file this
      // throws SQLITE_BUSY, the batch fails (503) and the next one tries again.
      const mode = db.pragma('journal_mode = DELETE', { simple: true })
      if (mode !== 'delete') throw new Error(`${path} was deleted and the log could not be restarted (journal mode ${String(mode)})`)
      db.pragma('journal_mode = WAL')
      known = identity()
      return `the write-ahead log ${path} was deleted while in use; its commits were saved into the database file and a new log was started`
    },
    afterCommit() {
      if (lost()) saveFrames()
    },
  }
}
