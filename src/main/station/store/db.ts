// Opens the station's SQLite file: pragmas for durability, then migrations in one transaction.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { LATEST_VERSION, migrations, type Migration } from './migrations'

export type Db = Database.Database

export class NewerDatabaseError extends Error {
  constructor(file: string, found: number, supported: number) {
    super(
      `${file} was written by a newer Gatehouse (schema ${found}; this version understands up to ${supported}). ` +
        'Refusing to open it: upgrade Gatehouse or choose another --data-dir.',
    )
    this.name = 'NewerDatabaseError'
  }
}

export interface OpenDbOptions {
  /** How long a write waits for another process's lock before failing (ms). */
  busyTimeoutMs?: number
  /** Apply migrations up to this version only (tests of migration N-1 → N). */
  targetVersion?: number
  /** Native binding path (the Electron-ABI build of better-sqlite3). */
  nativeBinding?: string
}

export function openDb(file: string, options: OpenDbOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
    db.pragma('journal_mode = WAL')
    // FULL: a commit is on disk (WAL fsynced) before we acknowledge anything. Group commit keeps it fast.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    migrate(db, file, options.targetVersion ?? LATEST_VERSION)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function migrate(db: Db, file: string, target: number, list: readonly Migration[] = migrations): void {
  const current = schemaVersion(db)
  const supported = list.at(-1)?.version ?? 0
  if (current > supported) throw new NewerDatabaseError(file, current, supported)
  const pending = list.filter((m) => m.version > current && m.version <= target)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  }).immediate()
}
