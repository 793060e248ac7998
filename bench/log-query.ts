// The webhook log at 1,000,000 rows: filled directly with better-sqlite3 in one transaction (a
// month of a busy venue), then the desk's filtered queries timed through the station's own store.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openCore } from '../src/main/station/station'
import type { LogFilter } from '../src/shared/log'
import { round } from './load'

export interface QueryFigure {
  name: string
  filter: LogFilter
  rows: number
  /** First run, then the median and worst of the repeats (ms). */
  first_ms: number
  median_ms: number
  max_ms: number
}

export interface LogQueryFigures {
  rows: number
  insert_s: number
  queries: QueryFigure[]
  /** The slowest median: the figure held against the target. */
  worst_median_ms: number
}

/** Endpoint, status and weight of each kind of row. */
const MIX: Array<[string, number, number]> = [
  ['/webhook/v1/access-event', 200, 800],
  ['/webhook/v1/access-event', 401, 8],
  ['/webhook/v1/access-event', 400, 4],
  ['/webhook/v1/access-event', 429, 2],
  ['/webhook/v1/mqtt-gateway-status', 200, 120],
  ['/webhook/v1/mqtt-gateway-status', 401, 2],
  ['/webhook/v1/cvent', 200, 40],
  ['/webhook/v1/cvent', 400, 1],
  ['/webhook/v1/attendee-sync', 200, 3],
  ['/webhook/v1/access-event', 403, 1],
  ['/wp-login.php', 404, 3],
  ['/webhook/v1/access-event', 503, 1],
]

export function benchLogQuery(rows = 1_000_000): LogQueryFigures {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-log-'))
  const core = openCore({ dataDir: dir, env: {} })
  try {
    const table: Array<[string, number]> = []
    for (const [endpoint, status, weight] of MIX) for (let i = 0; i < weight; i++) table.push([endpoint, status])
    const insert = core.db.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size, sent_at, late, body_sha256)
       VALUES (?, 'POST', ?, ?, ?, ?, ?, ?, ?, ?, NULL, 0, NULL)`,
    )
    const headers = JSON.stringify({
      host: '192.168.1.20:8787',
      'content-type': 'application/json',
      'content-length': '98',
      'x-gxp-signature': `sha256=${'ab'.repeat(32)}`,
    })
    const body = Buffer.from(
      '{"reader_id":"GW-001-R01","credential_value":"BADGE-000123","scan_type":"qr","timestamp":"2030-01-01T00:00:00.000Z"}',
    )
    const end = Date.now()
    const start = end - 30 * 86_400_000
    const step = (end - start) / rows
    const t0 = performance.now()
    core.db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const [endpoint, status] = table[(i * 7919) % table.length]!
        insert.run(
          endpoint,
          status,
          `192.168.1.${(i % 50) + 10}`,
          Math.floor(start + i * step),
          2 + (i % 7),
          status === 200 ? 'granted' : 'refused',
          headers,
          body,
          body.length,
        )
      }
    })()
    const insertS = (performance.now() - t0) / 1000

    const iso = (ms: number): string => new Date(ms).toISOString()
    const filters: Array<[string, LogFilter]> = [
      ['access-event, 200 (common)', { endpoint: '/webhook/v1/access-event', status: 200, limit: 50 }],
      ['access-event, 401 (rare)', { endpoint: '/webhook/v1/access-event', status: 401, limit: 50 }],
      ['access-event, 4xx (class)', { endpoint: '/webhook/v1/access-event', status: '4xx', limit: 50 }],
      ['any endpoint, 5xx', { status: '5xx', limit: 50 }],
      [
        'cvent, one day last week',
        { endpoint: '/webhook/v1/cvent', since: iso(end - 8 * 86_400_000), until: iso(end - 7 * 86_400_000), limit: 50 },
      ],
      ['401, one day last week', { status: 401, since: iso(end - 8 * 86_400_000), until: iso(end - 7 * 86_400_000), limit: 50 }],
      ['attendee-sync, 200 (sparse)', { endpoint: '/webhook/v1/attendee-sync', status: 200, limit: 50 }],
      ['no filter, newest page', { limit: 50 }],
    ]
    const queries: QueryFigure[] = filters.map(([name, filter]) => {
      const times: number[] = []
      let n = 0
      for (let i = 0; i < 8; i++) {
        const t = performance.now()
        n = core.log.query(filter).length
        times.push(performance.now() - t)
      }
      const rest = times.slice(1).sort((a, b) => a - b)
      return {
        name,
        filter,
        rows: n,
        first_ms: round(times[0]!),
        median_ms: round(rest[Math.floor(rest.length / 2)]!),
        max_ms: round(rest.at(-1)!),
      }
    })
    return { rows, insert_s: round(insertS, 1), queries, worst_median_ms: Math.max(...queries.map((q) => q.median_ms)) }
  } finally {
    core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
