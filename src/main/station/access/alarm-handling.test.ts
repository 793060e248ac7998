// The alert model on a real SQLite file: each state transition with the operator's name in the
// history, the note a priority 1 needs, snoozes (priorities 3–5 only) that come back open, and the
// reactivation rule (a resolved alert recurring within its kind's window reopens, with a count).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from '../store/db'
import { createAlerts, type Alerts } from './alerts'
import { alertOfChange } from '../notify/outbox'
import { targetWants } from '../../../shared/notify'
import { createBurstDetector } from './bursts'

let dir: string
let db: Db
let alerts: Alerts
const T0 = Date.UTC(2026, 0, 15, 9, 0, 0)
const MIN = 60_000

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-alarms-'))
  db = openDb(join(dir, 'gatehouse.db'))
  alerts = createAlerts(db)
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const code = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
  throw new Error('expected a refusal')
}

describe('states', () => {
  it('open → acknowledged (a note required at priority 1) → investigating → resolved, each step named in the history', () => {
    const a = alerts.raise('gateway_offline', 'GW-1', 'silent for 95 s', T0)!
    expect(a).toMatchObject({ priority: 1, state: 'open', occurrences: 1 })
    // Investigating comes after an acknowledgement; a priority 1 is not acknowledged without a note.
    expect(code(() => alerts.investigate(a.id, 'Dana', { at: T0 + 1 }))).toBe('CONFLICT')
    expect(code(() => alerts.acknowledge(a.id, 'Dana', { at: T0 + 1 }))).toBe('INVALID_INPUT')
    expect(code(() => alerts.acknowledge(a.id, 'Dana', { note: '   ', at: T0 + 1 }))).toBe('INVALID_INPUT')
    expect(alerts.get(a.id)!.state).toBe('open')

    const acked = alerts.acknowledge(a.id, 'Dana', { note: 'Calling the gate supervisor', at: T0 + 1000 })
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledged_by: 'Dana' })
    expect(code(() => alerts.acknowledge(a.id, 'Eve', { note: 'me too' }))).toBe('CONFLICT')
    const onIt = alerts.investigate(a.id, 'Sam', { note: 'At the north gate', at: T0 + 2000 })
    expect(onIt).toMatchObject({ state: 'investigating', investigating_by: 'Sam', investigating_at: new Date(T0 + 2000).toISOString() })
    alerts.note(a.id, 'Sam', 'Power cable was out', T0 + 3000)
    const done = alerts.resolveById(a.id, 'Sam', { note: 'Plugged back in', at: T0 + 4000 })
    expect(done).toMatchObject({ state: 'resolved', resolved_by: 'Sam', resolved_at: new Date(T0 + 4000).toISOString() })
    expect(code(() => alerts.investigate(a.id, 'Sam'))).toBe('CONFLICT')
    // A note can still be added after it is resolved.
    alerts.note(a.id, 'Lead', 'Reviewed at shift change', T0 + 5000)

    expect(alerts.notes(a.id).map((n) => [n.action, n.by, n.note])).toEqual([
      ['raised', 'station', null],
      ['acknowledged', 'Dana', 'Calling the gate supervisor'],
      ['investigating', 'Sam', 'At the north gate'],
      ['noted', 'Sam', 'Power cable was out'],
      ['resolved', 'Sam', 'Plugged back in'],
      ['noted', 'Lead', 'Reviewed at shift change'],
    ])
    expect(code(() => alerts.acknowledge(999, 'Dana', { note: 'x' }))).toBe('NOT_FOUND')
  })

  it('the cause clearing resolves it in the name of the station; a priority 3 is acknowledged without a note', () => {
    const a = alerts.raise('reader_disconnected', 'R-1', 'Reader R-1 is error', T0)!
    expect(a.priority).toBe(3)
    expect(alerts.acknowledge(a.id, 'Dana', { at: T0 + 1 }).state).toBe('acknowledged')
    expect(alerts.resolve('reader_disconnected', 'R-1', T0 + 2)).toMatchObject({ state: 'resolved', resolved_by: 'station' })
    expect(alerts.notes(a.id).map((n) => n.action)).toEqual(['raised', 'acknowledged', 'resolved'])
  })

  it('snoozes priorities 3–5 only; the alert comes back open (to be acknowledged again) when the snooze runs out', () => {
    const p1 = alerts.raise('zone_at_capacity', 'Hall A', 'full', T0)!
    expect(code(() => alerts.snooze(p1.id, 'Dana', 10, { at: T0 }))).toBe('INVALID_INPUT')
    const a = alerts.raise('clock_skew', 'GW-2', "GW-2's clock is 7 min ahead", T0)!
    alerts.acknowledge(a.id, 'Dana', { at: T0 + 1 })
    const snoozed = alerts.snooze(a.id, 'Dana', 15, { note: 'NTP fix after the doors open', at: T0 + 1000 })
    expect(snoozed).toMatchObject({ state: 'snoozed', snoozed_until: new Date(T0 + 1000 + 15 * MIN).toISOString() })
    expect(code(() => alerts.snooze(a.id, 'Dana', 15))).toBe('CONFLICT')
    expect(alerts.wakeSnoozed(T0 + 14 * MIN)).toEqual([])
    const [woken] = alerts.wakeSnoozed(T0 + 1000 + 15 * MIN)
    expect(woken).toMatchObject({ id: a.id, state: 'open', snoozed_until: null, acknowledged_by: null })
    expect(alerts.wakeSnoozed(T0 + 60 * MIN)).toEqual([])
    expect(alerts.notes(a.id).map((n) => n.action)).toEqual(['raised', 'acknowledged', 'snoozed', 'woke'])
  })

  it("keeps to the kind's longest snooze (an admin's setting; 0: never)", () => {
    const a = alerts.raise('store_space_low', 'store', 'low', T0)!
    expect(code(() => alerts.snooze(a.id, 'Dana', 241, { at: T0 }))).toBe('INVALID_INPUT')
    alerts.kinds.set('store_space_low', { snooze_max_minutes: 30 }, 'Admin', T0)
    expect(code(() => alerts.snooze(a.id, 'Dana', 31, { at: T0 }))).toBe('INVALID_INPUT')
    expect(alerts.snooze(a.id, 'Dana', 30, { at: T0 }).state).toBe('snoozed')
    const b = alerts.raise('watchlist_arrival', 'decision 7', 'VIP', T0)!
    alerts.kinds.set('watchlist_arrival', { snooze_max_minutes: 0 }, 'Admin', T0)
    expect(code(() => alerts.snooze(b.id, 'Dana', 1, { at: T0 }))).toBe('INVALID_INPUT')
    expect(alerts.get(b.id)!.state).toBe('open')
  })
})

describe('reactivation', () => {
  it('a resolved alert recurring within its window reopens (same id, one more occurrence, to be acknowledged again); later, a new alert', () => {
    const a = alerts.raise('reader_disconnected', 'R-7', 'Reader R-7 is error', T0)!
    alerts.acknowledge(a.id, 'Dana', { at: T0 + 1 })
    alerts.resolve('reader_disconnected', 'R-7', T0 + MIN)
    // Default window: 10 minutes after it was resolved.
    const again = alerts.raise('reader_disconnected', 'R-7', 'Reader R-7 is error again', T0 + 9 * MIN)!
    expect(again).toMatchObject({
      id: a.id,
      state: 'open',
      occurrences: 2,
      resolved_at: null,
      acknowledged_by: null,
      message: 'Reader R-7 is error again',
      reopened_at: new Date(T0 + 9 * MIN).toISOString(),
    })
    expect(alerts.raise('reader_disconnected', 'R-7', 'still', T0 + 9 * MIN + 1)).toBeUndefined()
    alerts.resolve('reader_disconnected', 'R-7', T0 + 10 * MIN)
    const later = alerts.raise('reader_disconnected', 'R-7', 'a day later', T0 + 30 * MIN)!
    expect(later.id).not.toBe(a.id)
    expect(later.occurrences).toBe(1)
    expect(alerts.notes(a.id).map((n) => n.action)).toEqual(['raised', 'acknowledged', 'resolved', 'reopened', 'resolved'])
  })

  it("follows the kind's configured window (0: never reopens)", () => {
    alerts.kinds.set('reader_disconnected', { reactivation_minutes: 0 }, 'admin', T0)
    const a = alerts.raise('reader_disconnected', 'R-8', 'error', T0)!
    alerts.resolve('reader_disconnected', 'R-8', T0 + 1)
    expect(alerts.raise('reader_disconnected', 'R-8', 'error', T0 + 2)!.id).not.toBe(a.id)
    alerts.kinds.set('clock_skew', { reactivation_minutes: 120 }, 'admin', T0)
    const b = alerts.raise('clock_skew', 'GW-3', 'ahead', T0)!
    alerts.resolve('clock_skew', 'GW-3', T0 + 1)
    expect(alerts.raise('clock_skew', 'GW-3', 'ahead', T0 + 100 * MIN)).toMatchObject({ id: b.id, occurrences: 2 })
  })
})

describe('per-kind settings', () => {
  it("an admin's priority applies to new and open alerts, to the notification snapshot and so to a target's filter", () => {
    const open = alerts.raise('reader_disconnected', 'R-1', 'error', T0)!
    expect(targetWants(2, open)).toBe(false)
    const settings = alerts.kinds.set(
      'reader_disconnected',
      { priority: 2, instructions: 'Send the runner to the reader' },
      'Admin Ann',
      T0,
    )
    expect(settings).toMatchObject({
      priority: 2,
      instructions: 'Send the runner to the reader',
      customised: true,
      updated_by: 'Admin Ann',
    })
    const [moved] = alerts.reprioritise('reader_disconnected', 2)
    expect(moved).toMatchObject({ id: open.id, priority: 2 })
    const fresh = alerts.raise('reader_disconnected', 'R-2', 'error', T0 + 1)!
    expect(fresh.priority).toBe(2)
    const last = db.prepare<[], { alert: string }>('SELECT alert FROM alert_changes ORDER BY id DESC LIMIT 1').get()!
    const snapshot = alertOfChange(last.alert)
    expect(snapshot).toMatchObject({ id: fresh.id, priority: 2, state: 'open' })
    expect(targetWants(2, snapshot)).toBe(true)
    expect(alerts.kinds.reset('reader_disconnected')).toMatchObject({ priority: 3, customised: false })
  })
})

describe('burst memory under many sources', () => {
  it('counts at most maxSubjects subjects at once; one already raised stays counted', () => {
    const d = createBurstDetector<'rejections_burst'>({ threshold: 2, windowMs: MIN, quietMs: 5 * MIN, maxSubjects: 3 })
    expect(d.hit('rejections_burst', '10.0.0.1', '400 x', T0)).toBeNull()
    expect(d.hit('rejections_burst', '10.0.0.1', '400 x', T0 + 1)).not.toBeNull()
    d.hit('rejections_burst', '10.0.0.2', '400 x', T0 + 2)
    d.hit('rejections_burst', '10.0.0.3', '400 x', T0 + 3)
    // Full: a fourth source is not counted (no alert, no memory), while the raised burst goes on.
    expect(d.hit('rejections_burst', '10.0.0.4', '400 x', T0 + 4)).toBeNull()
    expect(d.hit('rejections_burst', '10.0.0.4', '400 x', T0 + 5)).toBeNull()
    d.hit('rejections_burst', '10.0.0.1', '400 y', T0 + 6)
    expect(d.changed().map((b) => [b.subject, b.count])).toEqual([['10.0.0.1', 3]])
    // Once the quiet ones are forgotten there is room again.
    expect(d.hit('rejections_burst', '10.0.0.5', '400 x', T0 + 2 * MIN)).toBeNull()
    expect(d.hit('rejections_burst', '10.0.0.5', '400 x', T0 + 2 * MIN + 1)).not.toBeNull()
  })
})
