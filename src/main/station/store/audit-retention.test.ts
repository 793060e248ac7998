// The audit log outlives the webhook log: retention by age and by size prunes the log and the
// decisions, never an audit entry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from './db'
import { createAuditLog } from './audit-log'
import { createRetention } from './retention'

let dir: string
let db: Db
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-retention-'))
  db = openDb(join(dir, 'gatehouse.db'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('audit retention', () => {
  it('keeps every audit entry while age and size pruning empty the webhook log', () => {
    const audit = createAuditLog(db)
    const old = Date.now() - 400 * 86_400_000
    const log = db.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size)
       VALUES ('/webhook/v1/cvent', 'POST', 200, '10.0.0.1', ?, 1, NULL, '{}', ?, 4096)`,
    )
    db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        log.run(old + i, Buffer.alloc(4096, 1))
        audit.add({ at: old + i, operator: 'Ada', role: 'admin', command: 'allowlist:set', source: 'cli', outcome: 'done', after: { i } })
      }
    })()
    // One day of retention and a size budget far below the store: everything old is due.
    const retention = createRetention(db, { days: 1, maxMb: 0, batchRows: 100 })
    for (let i = 0; i < 20; i++) db.transaction(() => retention.step())()
    expect(db.prepare('SELECT count(*) FROM webhook_log').pluck().get()).toBe(0)
    expect(audit.list(0, 1000)).toHaveLength(300)
  })
})
