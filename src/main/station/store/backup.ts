// Online backup through SQLite's backup API, safe while the station runs: the copy is made in one
// step, i.e. from one read snapshot (WAL lets the station keep committing meanwhile; a stepwise
// copy would restart on every commit of another connection and might never finish). The result
// is a single self-contained file (rollback journal, no -wal) checked with integrity_check, made
// 0600 before the first byte is copied into it (it holds what the store holds).
import Database from 'better-sqlite3'
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { PRIVATE_FILE_MODE, type Db } from './db'

export interface BackupResult {
  file: string
  bytes: number
  pages: number
  schema_version: number
  integrity: 'ok'
}

export class BackupError extends Error {
  override name = 'BackupError'
}

export async function backupDatabase(db: Db, target: string, options: { nativeBinding?: string } = {}): Promise<BackupResult> {
  const file = resolve(target)
  if (!existsSync(dirname(file))) throw new BackupError(`the directory ${dirname(file)} does not exist`)
  // Never overwrites (which also keeps it off the live database).
  if (existsSync(file)) throw new BackupError(`${file} already exists; choose a new file name`)
  const partial = `${file}.partial`
  rmSync(partial, { force: true })
  try {
    // SQLite writes into the empty file it finds (and gives its journal the same mode).
    closeSync(openSync(partial, 'wx', PRIVATE_FILE_MODE))
    chmodSync(partial, PRIVATE_FILE_MODE)
    const progress = await db.backup(partial, { progress: () => 0x7fffffff })
    const copy = new Database(partial, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
    let integrity: string
    let version: number
    try {
      copy.pragma('journal_mode = DELETE')
      integrity = copy.pragma('integrity_check', { simple: true }) as string
      version = copy.pragma('user_version', { simple: true }) as number
    } finally {
      copy.close()
    }
    if (integrity !== 'ok') throw new BackupError(`the copy failed integrity_check: ${integrity}`)
    renameSync(partial, file)
    return { file, bytes: statSync(file).size, pages: progress.totalPages, schema_version: version, integrity: 'ok' }
  } catch (err) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true })
    throw err
  }
}
