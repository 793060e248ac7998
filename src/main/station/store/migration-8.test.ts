// Migration 8 (notification targets, alert changes, the outbox), from the version before it, on a
// real file with alerts written there: old alerts are not replayed as notifications; every later
// change of any alert, old or new, lands in alert_changes in the same commit.
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
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-migrate-8-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('migration 8: notifications', () => {
  it('keeps the alerts of version 7, sends none of them, and records every change made after it', () => {
    const file = join(dir, 'gatehouse.db')
    const before = openDb(file, { targetVersion: 7 })
    expect(schemaVersion(before)).toBeLessThan(8)
    before
      .prepare(
        `INSERT INTO alerts (kind, severity, subject, message, raised_at) VALUES ('gateway_offline', 'critical', 'GW-OLD', 'silent', 1705329000000)`,
      )
      .run()
    before.close()

    // Up to today's schema: the alerts module writes the columns of later migrations (9: priorities, states).
    const db = openDb(file)
    expect(schemaVersion(db)).toBe(LATEST_VERSION)
    for (const t of ['notify_targets', 'alert_changes', 'notify_outbox']) {
      expect(db.prepare<[string], { sql: string }>('SELECT sql FROM sqlite_schema WHERE name = ?').get(t)!.sql).toMatch(/\) STRICT$/)
    }
    expect(db.prepare('SELECT count(*) AS n FROM alert_changes').get()).toEqual({ n: 0 })

    const alerts = createAlerts(db)
    const old = alerts.open()[0]!
    alerts.resolve('gateway_offline', 'GW-OLD', 1705329060000)
    const fresh = alerts.raise('reader_disconnected', 'R-1', 'Reader R-1 is error', 1705329100000)!
    alerts.acknowledge(fresh.id, 'Sam', { at: 1705329200000 })
    alerts.record('store_failure', 'store', 'disk full', 1705329300000, 1705329400000)

    const changes = db
      .prepare<[], { alert_id: number; change: string; changed_at: number; alert: string; message_id: string }>(
        'SELECT alert_id, change, changed_at, alert, message_id FROM alert_changes ORDER BY id',
      )
      .all()
    expect(changes.map((c) => [c.alert_id, c.change, c.changed_at])).toEqual([
      [old.id, 'resolved', 1705329060000],
      [fresh.id, 'raised', 1705329100000],
      [fresh.id, 'acknowledged', 1705329200000],
      [fresh.id + 1, 'recorded', 1705329300000],
    ])
    // The snapshot is the alert as the desk shows it after that change.
    expect(alertOfChange(changes[2]!.alert)).toEqual(alerts.get(fresh.id))
    expect(alertOfChange(changes[0]!.alert)).toMatchObject({ subject: 'GW-OLD', resolved_at: '2024-01-15T14:31:00.000Z' })
    expect(new Set(changes.map((c) => c.message_id)).size).toBe(4)
    db.close()
  })

  it('snapshots every column of the alerts table (a new column needs the triggers recreated)', () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    createAlerts(db).raise('gateway_offline', 'GW-1', 'offline')
    const columns = db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('alerts')")
      .all()
      .map((c) => c.name)
      .sort()
    const snapshot = JSON.parse(db.prepare<[], { alert: string }>('SELECT alert FROM alert_changes').get()!.alert) as object
    expect(Object.keys(snapshot).sort()).toEqual(columns)
    db.close()
  })

  it('a failed alert write leaves no change behind: the trigger is part of the same transaction', () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    const alerts = createAlerts(db)
    expect(() =>
      db.transaction(() => {
        alerts.raise('gateway_offline', 'GW-2', 'offline')
        throw new Error('the commit fails')
      })(),
    ).toThrow('the commit fails')
    expect(db.prepare('SELECT count(*) AS n FROM alert_changes').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM alerts').get()).toEqual({ n: 0 })
    db.close()
  })
})
