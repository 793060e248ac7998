// Each migration from N-1 to N, on a real file with rows written at N-1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openDb, schemaVersion } from './db'
import { LATEST_VERSION } from './migrations'
import { createWebhookLogStore } from './webhook-log'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('migration 3: the late label, the body timestamp and digest on the webhook log', () => {
  it('keeps the rows logged at version 2 (not late, no timestamp) and logs new ones with them', () => {
    const file = join(dir, 'gatehouse.db')
    const v2 = openDb(file, { targetVersion: 2 })
    expect(schemaVersion(v2)).toBe(2)
    v2.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size)
       VALUES ('/webhook/v1/access-event', 'POST', 200, '10.0.0.7', 1705329000000, 3.2, NULL, '{}', ?, 12)`,
    ).run(Buffer.from('{"a":"body"}'))
    v2.close()

    const db = openDb(file, { targetVersion: 3 })
    expect(schemaVersion(db)).toBe(3)
    const log = createWebhookLogStore(db)
    const [old] = log.query({})
    expect(old).toMatchObject({ id: 'log_1', source_ip: '10.0.0.7', status: 200, late: false })
    expect(log.get(1)).toMatchObject({ sent_at: null, body: '{"a":"body"}' })

    const receivedAt = Date.parse('2024-01-15T14:40:00Z')
    log.add({
      endpoint: '/webhook/v1/access-event', method: 'POST', status: 200, sourceIp: '10.0.0.8', receivedAt, responseTimeMs: 1,
      reason: null, headers: {}, body: Buffer.from('{}'), sentAt: Date.parse('2024-01-15T14:30:00Z'), bodySha256: Buffer.alloc(32, 7),
    })
    expect(log.query({ limit: 1 })[0]).toMatchObject({ id: 'log_2', late: true })
    expect(log.digestsSince(receivedAt - 1)).toEqual([{ endpoint: '/webhook/v1/access-event', body_sha256: Buffer.alloc(32, 7), received_at: receivedAt, sent_at: Date.parse('2024-01-15T14:30:00Z') }])
    // Applying again is a no-op.
    migrate(db, file, LATEST_VERSION)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    db.close()
  })
})
