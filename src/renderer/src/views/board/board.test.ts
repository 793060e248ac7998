import { describe, expect, it } from 'vitest'
import type { GatewayView, ReaderView } from '../../../../shared/domain'
import { buildBoard, readerState } from './board-state'
import { fitGrid, READER_TILE } from './fit-grid'
import { liveMessage } from '../live/live-alert-text'

const reader = (id: string, over: Partial<ReaderView> = {}): ReaderView => ({
  reader_id: id,
  gateway_id: 'GW-1',
  status: 'connected',
  health: 'healthy',
  last_scan: null,
  last_seen: null,
  project: null,
  enabled: true,
  allowed_types: null,
  anti_passback_seconds: null,
  zone: null,
  direction: 'both',
  open_windows: null,
  ...over,
})

const gateway = (id: string, health: GatewayView['health'], readers: ReaderView[]): GatewayView => ({
  gateway_id: id,
  status: health,
  health,
  last_seen: '2026-03-10T12:00:00Z',
  reported_at: null,
  readers: readers.map((r) => ({ ...r, gateway_id: id })),
  reader_counts: { total: readers.length, healthy: 0, degraded: 0, unknown: 0 },
})

describe('the board', () => {
  it('says Disabled before Healthy or Degraded, and Offline behind an offline gateway', () => {
    expect(readerState(reader('R', { enabled: false }), 'online')).toBe('disabled')
    expect(readerState(reader('R', { enabled: false, health: 'degraded' }), 'online')).toBe('disabled')
    expect(readerState(reader('R', { health: 'healthy' }), 'offline')).toBe('offline')
    expect(readerState(reader('R', { health: 'degraded' }), 'online')).toBe('degraded')
    expect(readerState(reader('R'), null)).toBe('healthy')
  })

  it('puts problems first: offline, disabled, degraded, unknown, healthy; the test gateway left out', () => {
    const board = buildBoard(
      [
        gateway('GW-A', 'online', [reader('A1'), reader('A2', { enabled: false }), reader('A3', { health: 'degraded' })]),
        gateway('GW-B', 'offline', [reader('B1')]),
        gateway('GATEHOUSE-TEST', 'online', [reader('GATEHOUSE-TEST-R')]),
      ],
      [reader('U1', { gateway_id: null, health: 'unknown' })],
    )
    expect(board.gateways.map((g) => g.gateway.gateway_id)).toEqual(['GW-B', 'GW-A'])
    expect(board.readers.map((r) => `${r.reader.reader_id}:${r.state}`)).toEqual([
      'B1:offline',
      'A2:disabled',
      'A3:degraded',
      'U1:unknown',
      'A1:healthy',
    ])
  })
})

describe('fitGrid', () => {
  it('fits 64 tiles in the box when the box allows the readable minimum', () => {
    const fit = fitGrid(64, 836, 360)
    expect(Math.ceil(64 / fit.columns) * fit.rowHeight + (Math.ceil(64 / fit.columns) - 1) * READER_TILE.gap).toBeLessThanOrEqual(360)
    expect(fit.rowHeight).toBeGreaterThanOrEqual(READER_TILE.minHeight)
    expect((836 - (fit.columns - 1) * READER_TILE.gap) / fit.columns).toBeGreaterThanOrEqual(READER_TILE.minWidth)
  })

  it('grows tiles when there are few of them, up to the cap', () => {
    const few = fitGrid(4, 1200, 600)
    expect(few.rowHeight).toBe(READER_TILE.maxHeight)
    expect(few.density).toBe('roomy')
  })

  it('asks for the height it needs rather than shrinking below the minimum', () => {
    const fit = fitGrid(64, 400, 100)
    expect(fit.rowHeight).toBe(READER_TILE.minHeight)
    expect(fit.minimum).toBeGreaterThan(100)
    expect(fit.height).toBe(fit.minimum)
  })
})

describe('alert texts on Live', () => {
  it('replaces a frozen "silent for N s" with since when the gateway was last heard', () => {
    const alert = {
      id: 1,
      kind: 'gateway_offline' as const,
      severity: 'critical' as const,
      subject: 'GW-1',
      message: 'Gateway GW-1 silent for 46 s',
      raised_at: '2026-03-10T12:01:00Z',
      resolved_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      count: null,
      top_sources: null,
      priority: 1,
      state: 'open' as const,
      snoozed_until: null,
      investigating_at: null,
      investigating_by: null,
      resolved_by: null,
      occurrences: 1,
      reopened_at: null,
      top_errors: null,
    }
    const text = liveMessage(alert, [gateway('GW-1', 'offline', [])])
    expect(text).toMatch(/^Gateway GW-1 silent since \d\d:\d\d:\d\d$/)
    expect(text).not.toContain('46 s')
  })
})
