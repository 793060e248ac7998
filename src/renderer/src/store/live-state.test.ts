import { describe, expect, it } from 'vitest'
import type { DeskEventBatch, Overview } from '../../../shared/contract'
import type { AlertView, DecisionView } from '../../../shared/domain'
import { FEED_LIMIT, applyBatch, fromOverview } from './live-state'

const NOW = Date.parse('2026-03-10T12:30:30Z')

function overview(partial: Partial<Overview> = {}): Overview {
  return {
    station: {
      started_at: '',
      data_dir: '',
      receiver_urls: [],
      store_fault: null,
      gateway_timeout_seconds: 90,
      today_since: NOW - 3600_000 * 5,
    },
    gateways: [],
    unassigned_readers: [],
    counters: { entries_today: 0, denials_today: 0, denial_rate: 0 },
    open_alerts: [],
    recent_decisions: [],
    scans_per_minute: [],
    requests_by_status: [],
    zones: [],
    lockdowns: [],
    watermark: { decision_id: 0, log_id: 0, refused_counts: [] },
    ...partial,
  }
}

const decision = (id: number, granted: boolean, at = NOW): DecisionView => ({
  id,
  reader_id: 'R1',
  credential_value: `C${id}`,
  scan_type: null,
  scanned_at: null,
  decided_at: new Date(at).toISOString(),
  access_granted: granted,
  reason: granted ? 'granted' : 'unknown_credential',
  attendee: null,
  project: null,
  zone: null,
  movement: null,
  override_by: null,
  watch: null,
})

const decided = (d: DecisionView): DeskEventBatch[number] => ({ event: 'access:decided', payload: d })

const alert = (id: number, extra: Partial<AlertView> = {}): AlertView => ({
  id,
  kind: 'gateway_offline',
  severity: 'critical',
  subject: 'GW-1',
  message: 'silent',
  raised_at: new Date(NOW).toISOString(),
  resolved_at: null,
  acknowledged_at: null,
  acknowledged_by: null,
  count: null,
  priority: 1,
  state: 'open',
  snoozed_until: null,
  investigating_at: null,
  investigating_by: null,
  resolved_by: null,
  occurrences: 1,
  reopened_at: null,
  top_errors: null,
  top_sources: null,
  ...extra,
})

describe('live state', () => {
  it('counts every decision of a large batch exactly once and keeps the feed bounded', () => {
    const start = fromOverview(overview(), null)
    const batch = Array.from({ length: 2000 }, (_, i) => decided(decision(i + 1, i % 4 !== 0)))
    const { state } = applyBatch(start, batch, NOW)
    expect(state.counters).toEqual({ entries_today: 1500, denials_today: 500, denial_rate: 0.25 })
    expect(state.feed).toHaveLength(FEED_LIMIT)
    expect(state.feed[0]!.id).toBe(2000)
    expect(state.minutes).toEqual([{ minute: Math.floor(NOW / 60_000) * 60_000, granted: 1500, denied: 500 }])
    // The same events again (a snapshot raced them) change nothing.
    expect(applyBatch(state, batch, NOW).state.counters).toEqual(state.counters)
  })

  it('skips decisions already in the snapshot and replays the rest onto it', () => {
    const snap = overview({
      recent_decisions: [decision(7, true), decision(6, false)],
      counters: { entries_today: 4, denials_today: 3, denial_rate: 3 / 7 },
      watermark: { decision_id: 7, log_id: 0, refused_counts: [] },
    })
    const start = fromOverview(snap, null)
    const { state } = applyBatch(start, [decided(decision(6, false)), decided(decision(7, true)), decided(decision(8, false))], NOW)
    expect(state.counters.entries_today).toBe(4)
    expect(state.counters.denials_today).toBe(4)
    expect(state.feed.map((d) => d.id)).toEqual([8, 7, 6])
  })

  it('reports only alerts it has not seen, and drops resolved ones', () => {
    const start = fromOverview(overview({ open_alerts: [alert(3)] }), null)
    const first = applyBatch(
      start,
      [
        { event: 'alert:changed', payload: alert(3, { acknowledged_at: 'x', acknowledged_by: 'Sam' }) },
        { event: 'alert:changed', payload: alert(4, { severity: 'warning' }) },
      ],
      NOW,
    )
    expect(first.newAlerts.map((a) => a.id)).toEqual([4])
    // Queue order: priority, then the oldest (both priority 1, raised together: by id).
    expect(first.state.openAlerts.map((a) => a.id)).toEqual([3, 4])
    const second = applyBatch(first.state, [{ event: 'alert:changed', payload: alert(4, { resolved_at: 'y' }) }], NOW)
    expect(second.newAlerts).toEqual([])
    expect(second.state.openAlerts.map((a) => a.id)).toEqual([3])
  })

  it('counts log entries by status once, and starts a new day at midnight', () => {
    const start = fromOverview(
      overview({ requests_by_status: [{ status: 200, count: 2 }], watermark: { decision_id: 0, log_id: 5, refused_counts: [] } }),
      null,
    )
    const entry = (id: number, status: number): DeskEventBatch[number] => ({
      event: 'log:entry',
      payload: {
        id: `log_${id}`,
        endpoint: '/webhook/v1/access-event',
        method: 'POST',
        status,
        source_ip: '10.0.0.1',
        received_at: '',
        response_time_ms: 1,
        reason: null,
      } as never,
    })
    const { state } = applyBatch(start, [entry(5, 200), entry(6, 403), entry(7, 200)], NOW)
    expect(state.requestsByStatus).toEqual([
      { status: 200, count: 3 },
      { status: 403, count: 1 },
    ])
    const tomorrow = start.todaySince + 24 * 3600_000 + 60_000
    const next = applyBatch(
      { ...state, counters: { entries_today: 9, denials_today: 1, denial_rate: 0.1 } },
      [decided(decision(50, true, tomorrow))],
      tomorrow,
    )
    expect(next.state.counters).toEqual({ entries_today: 1, denials_today: 0, denial_rate: 0 })
  })

  it('an aggregated refusal pushed again as it grows adds only what it grew by', () => {
    const start = fromOverview(overview({ watermark: { decision_id: 0, log_id: 10, refused_counts: [] } }), null)
    const refusal = (id: number, count: number): DeskEventBatch[number] => ({
      event: 'log:entry',
      payload: {
        id: `log_${id}`,
        endpoint: '/webhook/v1/access-event',
        method: 'POST',
        status: 401,
        source_ip: '10.0.0.9',
        received_at: '',
        response_time_ms: 1,
        reason: 'signature mismatch',
        late: false,
        clock_ahead: false,
        count,
        last_received_at: count > 1 ? 'x' : null,
        refused: true,
      },
    })
    const first = applyBatch(start, [refusal(11, 1), refusal(12, 1)], NOW)
    expect(first.state.requestsByStatus).toEqual([{ status: 401, count: 2 }])
    const second = applyBatch(first.state, [refusal(12, 250), refusal(12, 900)], NOW)
    expect(second.state.requestsByStatus).toEqual([{ status: 401, count: 901 }])
    // Told again of a count it already has: nothing changes.
    const third = applyBatch(second.state, [refusal(12, 900), refusal(11, 1)], NOW)
    expect(third.state.requestsByStatus).toEqual([{ status: 401, count: 901 }])

    // A resync: the snapshot counted entry 12 at 1,000 (its push of 1,000 was still on its way).
    const resynced = fromOverview(
      overview({
        requests_by_status: [{ status: 401, count: 1001 }],
        watermark: { decision_id: 0, log_id: 12, refused_counts: [{ id: 12, count: 1000 }] },
      }),
      third.state,
    )
    const late = applyBatch(resynced, [refusal(12, 1000), refusal(11, 1), refusal(12, 1200), refusal(13, 1)], NOW)
    expect(late.state.requestsByStatus).toEqual([{ status: 401, count: 1202 }])
  })

  it('keeps the queue in priority then age order, and sounds a reopened alert and one back from a snooze again', () => {
    const older = new Date(NOW - 60_000).toISOString()
    const start = fromOverview(
      overview({
        open_alerts: [alert(5, { priority: 3, raised_at: older }), alert(6, { priority: 1 }), alert(7, { priority: 3, state: 'snoozed' })],
      }),
      null,
    )
    expect(start.openAlerts.map((a) => a.id)).toEqual([6, 5, 7])
    const woke = applyBatch(start, [{ event: 'alert:changed', payload: alert(7, { priority: 3, state: 'open', reopened_at: 'z' }) }], NOW)
    expect(woke.newAlerts.map((a) => a.id)).toEqual([7])
    // A resolved alert (no longer on the desk) that recurred: the same id, one more occurrence.
    const resolved = applyBatch(
      woke.state,
      [{ event: 'alert:changed', payload: alert(5, { priority: 3, resolved_at: 'r', state: 'resolved' }) }],
      NOW,
    )
    expect(resolved.newAlerts).toEqual([])
    const back = applyBatch(
      resolved.state,
      [{ event: 'alert:changed', payload: alert(5, { priority: 3, occurrences: 2, reopened_at: 'q' }) }],
      NOW,
    )
    expect(back.newAlerts.map((a) => a.id)).toEqual([5])
    // Acknowledging is no new alert.
    const acked = applyBatch(
      back.state,
      [{ event: 'alert:changed', payload: alert(6, { state: 'acknowledged', acknowledged_by: 'Sam' }) }],
      NOW,
    )
    expect(acked.newAlerts).toEqual([])
  })

  it('a store fault held by the station (a real id) sounds once, survives a resync, and its stored copy is no new alert', () => {
    const fault = alert(12, { kind: 'store_failure', subject: 'store', message: 'The store failed' })
    const start = fromOverview(overview({ open_alerts: [alert(11)] }), null)
    const raised = applyBatch(start, [{ event: 'alert:changed', payload: fault }], NOW)
    expect(raised.newAlerts.map((a) => a.id)).toEqual([12])
    // The minute's resync: the snapshot includes the held alert, so the desk keeps it (no second sound).
    const resynced = fromOverview(overview({ open_alerts: [alert(11), fault] }), raised.state)
    expect(resynced.openAlerts.map((a) => a.id)).toEqual([11, 12])
    const stored = applyBatch(resynced, [{ event: 'alert:changed', payload: { ...fault, state: 'resolved', resolved_at: 'r' } }], NOW)
    expect(stored.newAlerts).toEqual([])
    expect(stored.state.openAlerts.map((a) => a.id)).toEqual([11])
  })

  it('a burst alert updated in place (same id, a higher count) is shown, and is no new alert (no sound)', () => {
    const burst = (count: number): AlertView =>
      alert(9, { kind: 'signature_burst', severity: 'warning', subject: '/webhook/v1/access-event', count, message: `${count} requests` })
    const opened = applyBatch(fromOverview(overview(), null), [{ event: 'alert:changed', payload: burst(10) }], NOW)
    expect(opened.newAlerts.map((a) => a.id)).toEqual([9])
    const grown = applyBatch(opened.state, [{ event: 'alert:changed', payload: burst(4000) }], NOW)
    expect(grown.newAlerts).toEqual([])
    expect(grown.state.openAlerts).toMatchObject([{ id: 9, count: 4000, message: '4000 requests' }])
  })

  it("moves a reader's last scan from decisions, without the gateway being resent", () => {
    const reader = {
      reader_id: 'R1',
      gateway_id: 'GW-1',
      status: 'connected',
      health: 'healthy' as const,
      last_scan: null,
      last_seen: null,
      project: null,
      enabled: true,
      allowed_types: null,
      anti_passback_seconds: null,
      zone: null,
      direction: 'entry' as const,
      open_windows: null,
    }
    const gateway = {
      gateway_id: 'GW-1',
      status: 'online',
      health: 'online' as const,
      last_seen: new Date(NOW).toISOString(),
      reported_at: null,
      readers: [reader, { ...reader, reader_id: 'R2' }],
      reader_counts: { total: 2, healthy: 2, degraded: 0, unknown: 0 },
    }
    const start = fromOverview(overview({ gateways: [gateway] }), null)
    const { state } = applyBatch(start, [decided(decision(1, true, NOW - 1000)), decided(decision(2, false, NOW))], NOW)
    expect(state.gateways[0]!.readers.map((r) => r.last_scan)).toEqual([new Date(NOW).toISOString(), null])
  })
})
