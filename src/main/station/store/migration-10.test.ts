// Migration 10: the audit log, added beside a store written at the version before it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, schemaVersion } from './db'
import { createAuditLog } from './audit-log'
import { createSettingsStore } from './settings'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-10-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('migration 10: the audit log', () => {
  it('keeps what was stored before and records who did what after', () => {
    const file = join(dir, 'gatehouse.db')
    const before = openDb(file, { targetVersion: 9 })
    createSettingsStore(before).set('default_project_id', 3)
    expect(before.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'audit_log'").pluck().get()).toBe(0)
    before.close()

    const db = openDb(file, { targetVersion: 10 })
    expect(schemaVersion(db)).toBe(10)
    expect(createSettingsStore(db).get('default_project_id', null)).toBe(3)
    const audit = createAuditLog(db)
    expect(audit.list()).toEqual([])
    audit.add({
      operator: 'Ada',
      role: 'admin',
      command: 'allowlist:set',
      source: 'cli',
      outcome: 'done',
      before: [],
      after: [{ entry: '10.0.0.0/8' }],
    })
    expect(audit.list()).toEqual([
      expect.objectContaining({
        operator: 'Ada',
        role: 'admin',
        command: 'allowlist:set',
        source: 'cli',
        before: [],
        after: [{ entry: '10.0.0.0/8' }],
      }),
    ])
    expect(() =>
      db.prepare("INSERT INTO audit_log (at, operator, role, command, source, outcome) VALUES (1, 'x', 'root', 'c', 'cli', 'done')").run(),
    ).toThrow(/CHECK/)
    db.close()
  })
})
