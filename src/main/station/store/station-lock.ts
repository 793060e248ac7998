// One station per data directory. The lock is an exclusive SQLite lock (an OS file lock) on
// `station.lock`, held by an open connection for as long as the station runs: the kernel drops it
// when the process ends, however it ends, so a station killed with SIGKILL leaves nothing stale.
// Admin commands (the CLI) open the store beside a running station and never take it.
import Database from 'better-sqlite3'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createPrivateFile } from './db'
import { RUNNING_MARKER } from './startup-check'

export const LOCK_FILE = 'station.lock'

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
  constructor(
    readonly dataDir: string,
    /** The holder as its running marker describes it ("pid 1234 since …"), when it could be read. */
    readonly holder: string | null,
  ) {
    super(
      `the data directory ${dataDir} is in use by another station${holder ? ` (${holder})` : ''}; ` +
        'stop that one first, or give this one another --data-dir',
    )
  }
}

export interface StationLock {
  release(): void
}

/** Who holds the directory, from the marker the running station wrote after taking the lock. */
function describeHolder(dataDir: string): string | null {
  try {
    const [pid, since] = readFileSync(join(dataDir, RUNNING_MARKER), 'utf8').trim().split(/\s+/)
    return pid && /^\d+$/.test(pid) ? `pid ${pid}${since ? `, running since ${since}` : ''}` : null
  } catch {
    return null
  }
}

/** Takes the directory's lock or throws DataDirInUseError naming the station that holds it. */
export function lockDataDir(dataDir: string, options: { nativeBinding?: string } = {}): StationLock {
  try {
    return takeLock(dataDir, options)
  } catch (err) {
    // Something that is not a lock file sits in its place (no station can be holding it): start it afresh.
    if ((err as { code?: unknown }).code !== 'SQLITE_NOTADB') throw err
    rmSync(join(dataDir, LOCK_FILE), { force: true })
    return takeLock(dataDir, options)
  }
}

function takeLock(dataDir: string, options: { nativeBinding?: string }): StationLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, LOCK_FILE)
  createPrivateFile(file, [`${file}-journal`])
  const db = new Database(file, { timeout: 0, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) })
  try {
    // In exclusive locking mode the lock taken by the first write is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (pid INTEGER NOT NULL) STRICT; DELETE FROM held;')
    db.prepare('INSERT INTO held (pid) VALUES (?)').run(process.pid)
    db.exec('COMMIT')
  } catch (err) {
    db.close()
    const code = (err as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) throw new DataDirInUseError(dataDir, describeHolder(dataDir))
    throw err
  }
  return {
    release: () => {
      if (db.open) db.close()
    },
  }
}
