// Opens the station's SQLite file: pragmas for durability, then migrations in one transaction.
// The file holds names, e-mails and request bodies: it is created 0600 (SQLite gives its -wal and
// -shm the database file's mode), and a store created before that is tightened when opened.
import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
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
  /** How long a statement waits for another process's lock before failing (ms); 0 never waits. */
  busyTimeoutMs?: number
  /** Apply migrations up to this version only (tests of migration N-1 → N). */
  targetVersion?: number
  /** Native binding path (the Electron-ABI build of better-sqlite3). */
  nativeBinding?: string
}

/** Owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600

/** Creates `file` 0600 if it does not exist, and tightens it (and its -wal, -shm) if it does. */
export function createPrivateFile(file: string, companions: readonly string[] = []): void {
  for (const f of [file, ...companions]) {
    try {
      if (f === file) closeSync(openSync(f, 'a', PRIVATE_FILE_MODE))
      if (existsSync(f)) chmodSync(f, PRIVATE_FILE_MODE)
    } catch {
      // Read-only, or another user's file: SQLite says what it cannot open.
    }
  }
}

export function openDb(file: string, options: OpenDbOptions = {}): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    createPrivateFile(file, [`${file}-wal`, `${file}-shm`])
  }
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    // Opening may meet a CLI command's write: wait for it here, before the connection takes its own setting.
    db.pragma('busy_timeout = 5000')
    db.pragma('journal_mode = WAL')
    // FULL: a commit is on disk (WAL fsynced) before we acknowledge anything. Group commit keeps it fast.
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    // Statement journals (one per savepoint of the commit queue) and sorts in memory: this build's
    // default puts them in temp files, a file write per scan that durability never needed.
    db.pragma('temp_store = MEMORY')
    migrate(db, file, options.targetVersion ?? LATEST_VERSION)
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`)
  } catch (err) {
    db.close()
    throw err
  }
  return db
}

/** The store is older than this Gatehouse: only a writer (the station, a CLI change) may upgrade it. */
export class OlderDatabaseError extends Error {
  constructor(file: string, found: number, expected: number) {
    super(
      `${file} is at schema ${found}; this Gatehouse reads schema ${expected}. Start the station once (gatehouse station) to upgrade it`,
    )
    this.name = 'OlderDatabaseError'
  }
}

/**
 * Opens the store for reading only (the CLI's read commands): nothing is created, migrated or
 * written. A directory without a store yet reads as an empty store (a migrated one in memory).
 */
export function openReadOnlyDb(file: string, options: { nativeBinding?: string } = {}): Db {
  const binding = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
  if (!existsSync(file)) {
    const empty = new Database(':memory:', binding)
    migrate(empty, ':memory:', LATEST_VERSION)
    return empty
  }
  const db = new Database(file, { ...binding, readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    const found = schemaVersion(db)
    if (found > LATEST_VERSION) throw new NewerDatabaseError(file, found, LATEST_VERSION)
    if (found < LATEST_VERSION) throw new OlderDatabaseError(file, found, LATEST_VERSION)
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
