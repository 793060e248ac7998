// Migration 9 (alarm handling) from version 8 on a real file: old alerts get the priority of their
// severity and the state their timestamps say, the back-fill sends no notification, and the
// recreated triggers snapshot the new columns.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, schemaVersion } from './db'
import { LATEST_VERSION } from './migrations'
import { createAlerts } from '../access/alerts'
import { alertOfChange } from '../notify/outbox'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-9-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('migration 9: alarm handling', () => {
  it('back-fills priority and state of the alerts of version 8 without notifying, then snapshots the new columns', () => {
    const file = join(dir, 'gatehouse.db')
    const v8 = openDb(file, { targetVersion: 8 })
    const insert = v8.prepare<[string, string, string, number | null, number | null, string | null]>(
      `INSERT INTO alerts (kind, severity, subject, message, raised_at, resolved_at, acknowledged_at, acknowledged_by)
       VALUES (?, ?, ?, 'old', 1705329000000, ?, ?, ?)`,
    )
    insert.run('gateway_offline', 'critical', 'GW-1', null, null, null)
    insert.run('reader_disconnected', 'warning', 'R-1', null, 1705329100000, 'Sam')
    insert.run('watchlist_arrival', 'info', 'decision 4', 1705329200000, null, null)
    const changesAt8 = v8.prepare<[], { n: number }>('SELECT count(*) AS n FROM alert_changes').get()!
    v8.close()

    const db = openDb(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    expect(db.prepare('SELECT count(*) AS n FROM alert_changes').get()).toEqual(changesAt8)
    for (const t of ['alert_notes', 'alert_kind_settings']) {
      expect(db.prepare<[string], { sql: string }>('SELECT sql FROM sqlite_schema WHERE name = ?').get(t)!.sql).toMatch(/\) STRICT$/)
    }
    const alerts = createAlerts(db)
    expect(alerts.recent().map((a) => [a.subject, a.priority, a.state, a.occurrences])).toEqual([
      ['decision 4', 5, 'resolved', 1],
      ['R-1', 3, 'acknowledged', 1],
      ['GW-1', 1, 'open', 1],
    ])
    expect(() => db.prepare("UPDATE alerts SET state = 'lost' WHERE id = 1").run()).toThrow(/CHECK/)
    expect(() => db.prepare('UPDATE alerts SET priority = 0 WHERE id = 1').run()).toThrow(/CHECK/)

    const gw = alerts.open().find((a) => a.subject === 'GW-1')!
    alerts.acknowledge(gw.id, 'Dana', { note: 'on it', at: 1705329300000 })
    alerts.investigate(gw.id, 'Dana', { at: 1705329400000 })
    const changes = db
      .prepare<[number], { change: string; changed_at: number; alert: string }>(
        'SELECT change, changed_at, alert FROM alert_changes WHERE id > ? ORDER BY id',
      )
      .all(changesAt8.n)
    expect(changes.map((c) => [c.change, c.changed_at])).toEqual([
      ['acknowledged', 1705329300000],
      ['investigating', 1705329400000],
    ])
    expect(alertOfChange(changes[1]!.alert)).toEqual(alerts.get(gw.id))
    expect(alertOfChange(changes[1]!.alert)).toMatchObject({ priority: 1, state: 'investigating', investigating_by: 'Dana' })
    db.close()
  })
})
