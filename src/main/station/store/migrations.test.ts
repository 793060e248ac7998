// Each migration from N-1 to N, on a real file with rows written at N-1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openDb, schemaVersion } from './db'
import { LATEST_VERSION } from './migrations'
import { createWebhookLogStore } from './webhook-log'
import Database from 'better-sqlite3'
import { NewerDatabaseError, type Db } from './db'
import { migrations } from './migrations'
import { createAllowlistStore } from './allowlist'
import { createAlerts } from '../access/alerts'

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

    // (Up to today's schema: the store module below writes the columns of later migrations too.)
    const db = openDb(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    const log = createWebhookLogStore(db)
    const [old] = log.query({})
    expect(old).toMatchObject({ id: 'log_1', source_ip: '10.0.0.7', status: 200, late: false })
    expect(log.get(1)).toMatchObject({ sent_at: null, body: '{"a":"body"}' })

    const receivedAt = Date.parse('2024-01-15T14:40:00Z')
    log.add({
      endpoint: '/webhook/v1/access-event',
      method: 'POST',
      status: 200,
      sourceIp: '10.0.0.8',
      receivedAt,
      responseTimeMs: 1,
      reason: null,
      headers: {},
      body: Buffer.from('{}'),
      sentAt: Date.parse('2024-01-15T14:30:00Z'),
      bodySha256: Buffer.alloc(32, 7),
    })
    expect(log.query({ limit: 1 })[0]).toMatchObject({ id: 'log_2', late: true })
    expect(log.digestsSince(receivedAt - 1)).toEqual([
      {
        endpoint: '/webhook/v1/access-event',
        body_sha256: Buffer.alloc(32, 7),
        received_at: receivedAt,
        sent_at: Date.parse('2024-01-15T14:30:00Z'),
      },
    ])
    // Applying again is a no-op.
    migrate(db, file, LATEST_VERSION)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    db.close()
  })
})

describe('migration 6: refusals flagged and counted on the webhook log; burst alerts with a count', () => {
  it('flags the refusals logged before it, counts every old entry once, and leaves alerts unsummarised', () => {
    const file = join(dir, 'gatehouse.db')
    const before = openDb(file, { targetVersion: 5 })
    const insert = before.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size, body_sha256)
       VALUES (?, 'POST', ?, '10.0.0.7', 1705329000000, 1, ?, '{}', ?, 2, ?)`,
    )
    insert.run('/webhook/v1/access-event', 200, null, Buffer.from('{}'), Buffer.alloc(32, 1)) // accepted under the replay guard
    insert.run('/webhook/v1/access-event', 401, 'signature mismatch', Buffer.from('{}'), null)
    insert.run('/webhook/v1/nope', 404, 'unknown path', null, null)
    insert.run('(malformed request)', 400, 'not valid HTTP: HPE_INVALID_METHOD', null, null)
    insert.run('/webhook/v1/access-event', 400, 'validation failed: reader_id', Buffer.from('{}'), null) // signed, only invalid
    before
      .prepare(
        `INSERT INTO alerts (kind, severity, subject, message, raised_at) VALUES ('signature_burst', 'warning', '10.0.0.7', 'old style', 1705329000000)`,
      )
      .run()
    before.close()

    const db = openDb(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    const rows = db.prepare('SELECT id, status, refused, count, last_received_at FROM webhook_log ORDER BY id').all()
    expect(rows).toEqual([
      { id: 1, status: 200, refused: 0, count: 1, last_received_at: null },
      { id: 2, status: 401, refused: 1, count: 1, last_received_at: null },
      { id: 3, status: 404, refused: 1, count: 1, last_received_at: null },
      { id: 4, status: 400, refused: 1, count: 1, last_received_at: null },
      { id: 5, status: 400, refused: 0, count: 1, last_received_at: null },
    ])
    const log = createWebhookLogStore(db)
    expect(log.query({ limit: 1 })[0]).toMatchObject({ id: 'log_5', count: 1, refused: false })
    expect(log.digestsSince(0)).toHaveLength(1)
    const alerts = createAlerts(db)
    expect(alerts.open()).toMatchObject([{ kind: 'signature_burst', subject: '10.0.0.7', count: null, top_sources: null }])
    const updated = alerts.update(1, 'new style', { count: 12, top_sources: [{ address: '10.0.0.7', count: 12 }] })
    expect(updated).toMatchObject({ message: 'new style', count: 12, top_sources: [{ address: '10.0.0.7', count: 12 }] })
    db.close()
  })
})

describe('migration 2: access control tables next to the webhook log, allowlists and settings', () => {
  it('keeps the rows written at version 1 and adds the new STRICT tables', () => {
    const file = join(dir, 'gatehouse.db')
    const v1 = openDb(file, { targetVersion: 1 })
    expect(schemaVersion(v1)).toBe(1)
    expect(tableNames(v1)).toEqual(['allowlist', 'settings', 'webhook_log'])
    v1.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size)
       VALUES ('/webhook/v1/mqtt-gateway-status', 'POST', 403, '203.0.113.50', 1705314660000, 45, 'not allowed', '{}', NULL, 0)`,
    ).run()
    v1.prepare("INSERT INTO allowlist (endpoint, entry, label, created_at) VALUES ('cvent', '10.0.0.0/8', 'office', 1705314600000)").run()
    v1.prepare("INSERT INTO settings (key, value) VALUES ('default_project_id', 'null')").run()
    v1.close()

    const db = openDb(file, { targetVersion: 2 })
    expect(schemaVersion(db)).toBe(2)
    expect(tableNames(db)).toEqual([
      'alerts',
      'allowlist',
      'attendees',
      'cvent_events',
      'decisions',
      'gateways',
      'projects',
      'readers',
      'settings',
      'teams',
      'webhook_log',
    ])
    for (const table of ['alerts', 'attendees', 'cvent_events', 'decisions', 'gateways', 'projects', 'readers', 'teams']) {
      expect(
        db.prepare<[string], { strict: number }>('SELECT strict FROM pragma_table_list WHERE name = ?').get(table)?.strict,
        table,
      ).toBe(1)
    }
    expect(db.prepare('SELECT endpoint, status, source_ip, received_at, reason FROM webhook_log').all()).toEqual([
      {
        endpoint: '/webhook/v1/mqtt-gateway-status',
        status: 403,
        source_ip: '203.0.113.50',
        received_at: 1705314660000,
        reason: 'not allowed',
      },
    ])
    expect(createAllowlistStore(db).list('cvent')).toMatchObject([{ entry: '10.0.0.0/8', label: 'office', hits: 0 }])
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get('default_project_id')).toBe('null')
    db.close()
  })
})

describe('every migration N-1 → N', () => {
  it('keeps every row of every table that existed before it', () => {
    for (const m of migrations.filter((x) => x.version > 1)) {
      const file = join(dir, `step-${m.version}.db`)
      const before = openDb(file, { targetVersion: m.version - 1 })
      // One row in every table that has no required references, filled with typed defaults.
      const counts = new Map<string, number>()
      for (const table of tableNames(before)) {
        const columns = before
          .prepare<[string], { name: string; type: string; notnull: number; pk: number; hidden: number }>(
            'SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(?)',
          )
          .all(table)
        const fill = columns.filter((c) => c.hidden === 0 && c.pk === 0 && c.notnull === 1)
        const values = fill.map((c) => (c.type === 'TEXT' ? `'${table}'` : c.type === 'BLOB' ? "x'00'" : '1'))
        try {
          before.exec(
            fill.length
              ? `INSERT INTO ${table} (${fill.map((c) => c.name).join(', ')}) VALUES (${values.join(', ')})`
              : `INSERT INTO ${table} DEFAULT VALUES`,
          )
        } catch {
          // A foreign key the defaults cannot satisfy: this table is checked empty.
        }
      }
      // Counted once every insert is done: a trigger (migration 8's) may add rows to another table.
      for (const table of tableNames(before)) counts.set(table, before.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number)
      before.close()

      const after = openDb(file, { targetVersion: m.version })
      expect(schemaVersion(after), m.name).toBe(m.version)
      for (const [table, count] of counts) {
        expect(after.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), `${m.name}: ${table}`).toBe(count)
      }
      expect([...counts.values()].some((n) => n > 0)).toBe(true)
      after.close()
    }
  })
})

describe('a database from a newer Gatehouse', () => {
  it('is refused with a message that says why and what to do, and left untouched', () => {
    const file = join(dir, 'gatehouse.db')
    openDb(file).close()
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`)
    raw.close()

    let error: unknown
    try {
      openDb(file)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(NewerDatabaseError)
    const message = (error as Error).message
    expect(message).toContain(file)
    expect(message).toContain(`schema ${LATEST_VERSION + 1}`)
    expect(message).toContain(`up to ${LATEST_VERSION}`)
    expect(message).toMatch(/newer Gatehouse/)
    expect(message).toMatch(/upgrade Gatehouse or choose another --data-dir/)

    const check = new Database(file, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1)
    check.close()
  })
})

function tableNames(db: Db): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]
}

describe('migration 4: one credential, one person', () => {
  it('canonicalises credentials, takes a duplicated one from every holder, keeps each registration in its project, clamps the future', () => {
    const file = join(dir, 'gatehouse.db')
    const v3 = openDb(file, { targetVersion: 3 })
    const now = Date.now()
    v3.exec(`
      INSERT INTO teams (id, slug, created_at) VALUES (1, 'venue', 0);
      INSERT INTO projects (id, team_id, slug, created_at) VALUES (1, 1, 'expo', 0), (2, 1, 'gala', 0);
    `)
    const add = v3.prepare(
      `INSERT INTO attendees (project_id, external_id, first_name, last_name, credential_value, source, cancelled, cvent_event_at, created_at, updated_at)
       VALUES (?, ?, 'F', 'L', ?, ?, ?, ?, ?, ?)`,
    )
    add.run(1, 'EXT-1', 'BADGE-1', 'sync', 0, null, 1, 1) // duplicate of the next two once canonical
    add.run(1, 'EXT-2', 'BADGE-1\u00a0', 'sync', 0, null, 2, 2)
    add.run(1, 'EXT-3', 'BADGE-1 ', 'sync', 0, null, 3, 3)
    add.run(1, 'EXT-4', 'CAFE\u0301', 'sync', 0, null, 4, 4) // NFD: stored as NFC, no conflict
    add.run(2, 'EXT-5', 'BADGE-1', 'sync', 0, null, 5, 5) // another project: its own
    // A registration created in expo, then (old bug) cancelled in gala; its timestamp from a wrong clock.
    add.run(1, 'REG-1', null, 'cvent', 0, Date.parse('9999-12-31T00:00:00Z'), 6, 6)
    add.run(2, 'REG-1', null, 'cvent', 1, 10, 7, 7)
    v3.exec(
      `INSERT INTO gateways (gateway_id, status, reported_at, first_seen, last_seen) VALUES ('GW-1', 'online', ${Date.parse('2099-01-01T00:00:00Z')}, 1, 1)`,
    )
    v3.close()

    const db = openDb(file, { targetVersion: 4 })
    const rows = db
      .prepare('SELECT external_id, project_id, credential, credential_blocked, cancelled, cvent_event_at FROM attendees ORDER BY id')
      .all()
    expect(rows).toEqual([
      { external_id: 'EXT-1', project_id: 1, credential: 'BADGE-1', credential_blocked: 1, cancelled: 0, cvent_event_at: null },
      { external_id: 'EXT-2', project_id: 1, credential: 'BADGE-1', credential_blocked: 1, cancelled: 0, cvent_event_at: null },
      { external_id: 'EXT-3', project_id: 1, credential: 'BADGE-1', credential_blocked: 1, cancelled: 0, cvent_event_at: null },
      { external_id: 'EXT-4', project_id: 1, credential: 'CAF\u00c9', credential_blocked: 0, cancelled: 0, cvent_event_at: null },
      { external_id: 'EXT-5', project_id: 2, credential: 'BADGE-1', credential_blocked: 0, cancelled: 0, cvent_event_at: null },
      { external_id: 'REG-1', project_id: 1, credential: 'REG-1', credential_blocked: 0, cancelled: 1, cvent_event_at: expect.any(Number) },
      { external_id: 'REG-1', project_id: 2, credential: 'REG-1', credential_blocked: 0, cancelled: 1, cvent_event_at: 10 },
    ])
    expect((rows[5] as { cvent_event_at: number }).cvent_event_at).toBeLessThanOrEqual(Date.now())
    expect((rows[5] as { cvent_event_at: number }).cvent_event_at).toBeGreaterThanOrEqual(now)
    expect(db.prepare('SELECT project_id, credential, holders, cause, resolved_at FROM credential_conflicts').all()).toEqual([
      {
        project_id: 1,
        credential: 'BADGE-1',
        holders: JSON.stringify([
          { attendee_id: 1, external_id: 'EXT-1' },
          { attendee_id: 2, external_id: 'EXT-2' },
          { attendee_id: 3, external_id: 'EXT-3' },
        ]),
        cause: 'migration',
        resolved_at: null,
      },
    ])
    expect(db.prepare('SELECT registration_id, project_id FROM cvent_registrations').all()).toEqual([
      { registration_id: 'REG-1', project_id: 1 },
    ])
    expect(db.prepare('SELECT reported_at FROM gateways').pluck().get()).toBeLessThanOrEqual(Date.now())
    // From now on the store itself refuses a second holder.
    expect(() =>
      db
        .prepare(
          "INSERT INTO attendees (project_id, external_id, first_name, last_name, credential_value, created_at, updated_at) VALUES (1, 'EXT-9', 'F', 'L', 'CAF\u00c9', 0, 0)",
        )
        .run(),
    ).toThrow(/UNIQUE/)
    db.close()
  })
})

describe('migration 5: venue rules', () => {
  it('gives every reader seen before no zone, direction entry and always-open hours; decisions keep their rows', () => {
    const file = join(dir, 'gatehouse.db')
    const v4 = openDb(file, { targetVersion: 4 })
    v4.exec(`
      INSERT INTO readers (reader_id, enabled) VALUES ('R-OLD', 1);
      INSERT INTO decisions (reader_id, credential_value, decided_at, granted, reason) VALUES ('R-OLD', 'C', 1, 1, 'granted');
    `)
    v4.close()
    const db = openDb(file, { targetVersion: 5 })
    expect(db.prepare('SELECT reader_id, zone_id, direction, open_windows FROM readers').all()).toEqual([
      { reader_id: 'R-OLD', zone_id: null, direction: 'entry', open_windows: null },
    ])
    expect(db.prepare('SELECT reason, zone_id, movement, override_by, watch_id FROM decisions').all()).toEqual([
      { reason: 'granted', zone_id: null, movement: null, override_by: null, watch_id: null },
    ])
    for (const t of ['zones', 'presence', 'watch_list', 'overrides', 'lockdowns']) {
      expect(db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').pluck().get(t), t).toBe(1)
    }
    // A watch-list entry flags a credential or an attendee, never both or neither.
    expect(() => db.prepare("INSERT INTO watch_list (kind, created_by, created_at) VALUES ('vip', 'x', 0)").run()).toThrow(/CHECK/)
    db.close()
  })
})
