// The webhook log's queries on a real SQLite file: by endpoint, status code or class, and date range.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDb, type Db } from './db'
import { createWebhookLogStore, type NewLogEntry, type WebhookLogStore } from './webhook-log'
import { tempDir } from '../../test-support/station'
import { logIdNumber } from '../../../shared/log'

let dir: string
let db: Db
let log: WebhookLogStore

const at = (iso: string): number => Date.parse(iso)
const entry = (endpoint: string, status: number, receivedAt: string, sourceIp = '203.0.113.50'): NewLogEntry => ({
  endpoint: `/webhook/v1/${endpoint}`,
  method: 'POST',
  status,
  sourceIp,
  receivedAt: at(receivedAt),
  responseTimeMs: 45.4,
  reason: status === 200 ? null : `refused ${status}`,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{}'),
})

beforeAll(() => {
  dir = tempDir('gatehouse-log-')
  db = openDb(join(dir, 'gatehouse.db'))
  log = createWebhookLogStore(db)
  const rows = [
    entry('mqtt-gateway-status', 200, '2024-01-15T10:31:00Z'), // log_1
    entry('mqtt-gateway-status', 401, '2024-01-15T10:32:00Z'), // log_2
    entry('access-event', 200, '2024-01-15T14:30:00Z'), // log_3
    entry('access-event', 403, '2024-01-15T14:31:00Z', '127.0.0.2'), // log_4
    entry('cvent', 429, '2024-01-16T09:00:00Z'), // log_5
    entry('attendee-sync', 503, '2024-01-16T09:05:00Z'), // log_6
  ]
  db.transaction(() => rows.forEach((r) => log.add(r)))()
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const ids = (filter: Parameters<WebhookLogStore['query']>[0]): string[] => log.query(filter).map((e) => e.id)

describe('webhook log queries', () => {
  it("returns the doc's fields, newest first", () => {
    const [newest] = log.query({ limit: 1 })
    expect(log.query().map((e) => e.id)).toEqual(['log_6', 'log_5', 'log_4', 'log_3', 'log_2', 'log_1'])
    expect(newest).toEqual({
      clock_ahead: false,
      id: 'log_6',
      endpoint: '/webhook/v1/attendee-sync',
      method: 'POST',
      status: 503,
      source_ip: '203.0.113.50',
      received_at: '2024-01-16T09:05:00.000Z',
      response_time_ms: 45,
      reason: 'refused 503',
      late: false,
      count: 1,
      last_received_at: null,
      refused: false,
    })
  })

  it('filters by endpoint, given as a name or as a path', () => {
    expect(ids({ endpoint: 'access-event' })).toEqual(['log_4', 'log_3'])
    expect(ids({ endpoint: '/webhook/v1/mqtt-gateway-status' })).toEqual(['log_2', 'log_1'])
    expect(ids({ endpoint: '/webhook/v1/nope' })).toEqual([])
  })

  it('filters by exact status and by status class', () => {
    expect(ids({ status: 200 })).toEqual(['log_3', 'log_1'])
    expect(ids({ status: '403' as unknown as number })).toEqual(['log_4'])
    expect(ids({ status: '4xx' })).toEqual(['log_5', 'log_4', 'log_2'])
    expect(ids({ status: '5xx' })).toEqual(['log_6'])
    expect(ids({ status: '2xx', endpoint: 'access-event' })).toEqual(['log_3'])
  })

  it('filters by date range, both ends inclusive, with any offset', () => {
    expect(ids({ since: '2024-01-16T00:00:00Z' })).toEqual(['log_6', 'log_5'])
    expect(ids({ until: '2024-01-15T10:32:00Z' })).toEqual(['log_2', 'log_1'])
    expect(ids({ since: '2024-01-15T15:30:00+01:00', until: '2024-01-16T10:00:00+01:00' })).toEqual(['log_5', 'log_4', 'log_3'])
    expect(ids({ since: '2024-01-15T12:00:00Z', until: '2024-01-16T12:00:00Z', status: '4xx' })).toEqual(['log_5', 'log_4'])
  })

  it('limits and pages', () => {
    expect(ids({ limit: 2 })).toEqual(['log_6', 'log_5'])
    expect(ids({ before: 'log_5', limit: 2 })).toEqual(['log_4', 'log_3'])
  })

  it('keeps 1 KiB of a refused body with a SHA-256 of all of it; an aggregate carries its count', () => {
    const body = Buffer.alloc(5000, 0x61)
    const refused = log.add({ ...entry('access-event', 401, '2024-01-17T08:00:00Z'), body, bodySha256: Buffer.alloc(32, 9), refused: true })
    const detail = log.get(refused.id)!
    expect(detail).toMatchObject({ refused: true, count: 1, body_size: 5000, body_truncated: true, body_sha256: '09'.repeat(32) })
    expect(detail.body).toBe('a'.repeat(1024))
    // A refused body's digest is never taken for one the replay guard accepted.
    expect(log.digestsSince(0)).toEqual([])

    const flood = log.add({ ...entry('access-event', 429, '2024-01-17T08:01:00Z'), body: null, refused: true, count: 1 })
    const grown = log.setCount(logIdNumber(flood.id), 4321, at('2024-01-17T08:01:59Z'))
    expect(grown).toMatchObject({ id: flood.id, count: 4321, last_received_at: '2024-01-17T08:01:59.000Z' })
    expect(log.statusCounts(at('2024-01-17T00:00:00Z'))).toEqual([
      { status: 401, count: 1 },
      { status: 429, count: 4321 },
    ])
    db.prepare('DELETE FROM webhook_log WHERE id >= ?').run(logIdNumber(refused.id))
  })

  it('rejects a malformed filter instead of ignoring it', () => {
    expect(() => log.query({ status: '6xx' })).toThrow()
    expect(() => log.query({ since: '15/01/2024' })).toThrow()
  })
})
