// The store holds names, e-mails and request bodies: the database, its -wal and -shm, the lock
// file and backups are created 0600 whatever the umask, and an older, world-readable store is
// tightened when it is opened.
import { afterEach, describe, expect, it } from 'vitest'
import { chmodSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createStation, DB_FILE } from '../station'
import { backupDatabase } from './backup'
import { LOCK_FILE } from './station-lock'
import { tempDir } from '../../test-support/station'

const mode = (file: string): string => (statSync(file).mode & 0o777).toString(8)
let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('file modes', () => {
  it('creates the database, its -wal and -shm, the lock and a backup 0600, even with umask 000', async () => {
    dir = tempDir()
    const umask = process.umask(0o000)
    try {
      const station = await createStation({ dataDir: join(dir, 'data'), env: {} })
      try {
        await station.queue.enqueue(() => station.allowlist.add('cvent', '10.0.0.1'))
        const db = join(dir, 'data', DB_FILE)
        expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`), mode(join(dir, 'data', LOCK_FILE))]).toEqual(['600', '600', '600', '600'])
        expect(mode(join(dir, 'data'))).toBe('700')
        const copy = await backupDatabase(station.db, join(dir, 'backup.db'))
        expect(mode(copy.file)).toBe('600')
      } finally {
        await station.close()
      }
    } finally {
      process.umask(umask)
    }
  })

  it('tightens a store that was created world-readable', async () => {
    dir = tempDir()
    const db = join(dir, DB_FILE)
    const raw = new Database(db)
    raw.pragma('journal_mode = WAL')
    raw.exec('CREATE TABLE t (x INTEGER) STRICT; INSERT INTO t VALUES (1)')
    chmodSync(db, 0o644)
    chmodSync(`${db}-wal`, 0o644)
    chmodSync(`${db}-shm`, 0o644)
    raw.close()
    chmodSync(db, 0o644)
    const station = await createStation({ dataDir: dir, env: {} })
    try {
      expect(mode(db)).toBe('600')
      expect(mode(`${db}-wal`)).toBe('600')
    } finally {
      await station.close()
    }
  })
})
