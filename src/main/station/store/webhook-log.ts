// Every request on every path, accepted or refused, with the doc's fields and the refusal reason.
import type { Db } from './db'
import { logFilterSchema, logIdNumber, type LogFilter, type WebhookLogDetail, type WebhookLogRecord } from '../../../shared/log'
import { LATE_AFTER_SECONDS } from '../../../shared/station-settings'
import { DEFAULT_CLOCK_SKEW_SECONDS } from '../config'

/** Bodies are kept up to this size; the effects of larger ones (attendee-sync) are stored anyway. */
export const STORED_BODY_LIMIT = 256 * 1024
/** A refused request keeps only this much of its body (and a SHA-256 of all of it). */
export const REFUSED_BODY_LIMIT = 1024

/** "Late": the body's own timestamp is far older than its arrival (however the replay guard is set). */
export const isLate = (receivedAt: number, sentAt: number | null | undefined): boolean =>
  sentAt !== null && sentAt !== undefined && receivedAt - sentAt > LATE_AFTER_SECONDS * 1000

/** "Clock ahead": the body's own timestamp is further ahead of its arrival than the allowed skew. */
export const isClockAhead = (receivedAt: number, sentAt: number | null | undefined, skewMs: number): boolean =>
  sentAt !== null && sentAt !== undefined && sentAt - receivedAt > skewMs

export interface NewLogEntry {
  endpoint: string
  method: string
  status: number
  sourceIp: string
  receivedAt: number
  responseTimeMs: number
  reason: string | null
  headers: Record<string, string | string[] | undefined>
  body: Buffer | null
  /** The whole body's size when `body` is already only its start (a refusal's); else body's length. */
  bodySize?: number
  /** The body's own `timestamp` (epoch ms), when it had a valid one. */
  sentAt?: number | null
  /** SHA-256 of the body: of an accepted one while the replay guard is on (it survives a restart), of a refused one always. */
  bodySha256?: Buffer | null
  /** Refused before its signature was verified, or a replay: the body is cut at REFUSED_BODY_LIMIT. */
  refused?: boolean
  /** Requests this entry stands for (an aggregate of refusals); 1 by default. */
  count?: number
  lastReceivedAt?: number | null
}

interface Row {
  id: number
  endpoint: string
  method: string
  status: number
  source_ip: string
  received_at: number
  response_time_ms: number
  reason: string | null
  late: number
  clock_ahead: number
  count: number
  last_received_at: number | null
  refused: number
}

interface DetailRow extends Row {
  sent_at: number | null
  headers: string
  body: Buffer | null
  body_size: number
  body_sha256: Buffer | null
}

const toRecord = (r: Row): WebhookLogRecord => ({
  id: `log_${r.id}`,
  endpoint: r.endpoint,
  method: r.method,
  status: r.status,
  source_ip: r.source_ip,
  received_at: new Date(r.received_at).toISOString(),
  response_time_ms: Math.round(r.response_time_ms),
  reason: r.reason,
  late: r.late === 1,
  clock_ahead: r.clock_ahead === 1,
  count: r.count,
  last_received_at: r.last_received_at === null ? null : new Date(r.last_received_at).toISOString(),
  refused: r.refused === 1,
})

const COLUMNS =
  'id, endpoint, method, status, source_ip, received_at, response_time_ms, reason, late, clock_ahead, count, last_received_at, refused'

export type WebhookLogStore = ReturnType<typeof createWebhookLogStore>

export function createWebhookLogStore(db: Db, options: { clockSkewMs?: number } = {}) {
  const skewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_SECONDS * 1000
  const insert = db.prepare<
    [
      string,
      string,
      number,
      string,
      number,
      number,
      string | null,
      string,
      Buffer | null,
      number,
      number | null,
      number,
      number,
      Buffer | null,
      number,
      number | null,
      number,
    ]
  >(
    `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size, sent_at, late, clock_ahead, body_sha256, count, last_received_at, refused)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const byId = db.prepare<[number], DetailRow>('SELECT * FROM webhook_log WHERE id = ?')
  const bump = db.prepare<[number, number, number], Row>(
    `UPDATE webhook_log SET count = ?, last_received_at = ? WHERE id = ? RETURNING ${COLUMNS}`,
  )
  const queries = new Map<string, ReturnType<Db['prepare']>>()
  type Stmt = { all: (...params: unknown[]) => unknown[] }

  /** Stores one entry; returns it as the desk and the CLI see it. */
  function add(e: NewLogEntry): WebhookLogRecord {
    const keep = e.refused ? REFUSED_BODY_LIMIT : STORED_BODY_LIMIT
    const body = e.body && e.body.length > keep ? e.body.subarray(0, keep) : e.body
    const row: Omit<Row, 'id'> = {
      endpoint: e.endpoint.slice(0, 512),
      method: e.method.slice(0, 16),
      status: e.status,
      source_ip: e.sourceIp,
      received_at: e.receivedAt,
      response_time_ms: e.responseTimeMs,
      reason: e.reason,
      late: isLate(e.receivedAt, e.sentAt) ? 1 : 0,
      clock_ahead: isClockAhead(e.receivedAt, e.sentAt, skewMs) ? 1 : 0,
      count: Math.max(1, e.count ?? 1),
      last_received_at: e.lastReceivedAt ?? null,
      refused: e.refused ? 1 : 0,
    }
    const info = insert.run(
      row.endpoint,
      row.method,
      row.status,
      row.source_ip,
      row.received_at,
      row.response_time_ms,
      row.reason,
      JSON.stringify(e.headers),
      body,
      e.bodySize ?? e.body?.length ?? 0,
      e.sentAt ?? null,
      row.late,
      row.clock_ahead,
      e.bodySha256 ?? null,
      row.count,
      row.last_received_at,
      row.refused,
    )
    return toRecord({ ...row, id: Number(info.lastInsertRowid) })
  }

  /** Sets an aggregated entry's count and last arrival; returns it, or undefined when it is gone (trimmed). */
  function setCount(id: number, count: number, lastReceivedAt: number): WebhookLogRecord | undefined {
    const r = bump.get(count, lastReceivedAt, id)
    return r ? toRecord(r) : undefined
  }

  /** Newest first, filtered by endpoint, status (code or class) and date range; keyset-paged. */
  function query(filter: LogFilter = {}): WebhookLogRecord[] {
    const f = logFilterSchema.parse(filter)
    const where: string[] = []
    const params: Array<string | number> = []
    if (f.endpoint !== undefined) {
      where.push('endpoint = ?')
      params.push(f.endpoint.startsWith('/') ? f.endpoint : `/webhook/v1/${f.endpoint}`)
    }
    if (typeof f.status === 'number') {
      where.push('status = ?')
      params.push(f.status)
    } else if (f.status !== undefined) {
      const base = Number(f.status[0]) * 100
      where.push('status BETWEEN ? AND ?')
      params.push(base, base + 99)
    }
    if (f.since !== undefined) {
      where.push('received_at >= ?')
      params.push(Date.parse(f.since))
    }
    if (f.until !== undefined) {
      where.push('received_at <= ?')
      params.push(Date.parse(f.until))
    }
    if (f.before !== undefined) {
      where.push('id < ?')
      params.push(logIdNumber(f.before))
    }
    const sql = `SELECT ${COLUMNS} FROM webhook_log` + (where.length ? ` WHERE ${where.join(' AND ')}` : '') + ' ORDER BY id DESC LIMIT ?'
    let stmt = queries.get(sql)
    if (!stmt) {
      stmt = db.prepare(sql)
      queries.set(sql, stmt)
    }
    return ((stmt as unknown as Stmt).all(...params, f.limit) as Row[]).map(toRecord)
  }

  function get(id: string | number): WebhookLogDetail | undefined {
    const r = byId.get(logIdNumber(id))
    if (!r) return undefined
    return {
      ...toRecord(r),
      sent_at: r.sent_at === null ? null : new Date(r.sent_at).toISOString(),
      headers: JSON.parse(r.headers) as Record<string, string | string[]>,
      body: r.body ? r.body.toString('utf8') : '',
      body_size: r.body_size,
      body_truncated: (r.body?.length ?? 0) < r.body_size,
      body_sha256: r.refused === 1 && r.body_sha256 ? r.body_sha256.toString('hex') : null,
    }
  }

  const byStatus = db.prepare<[number], { status: number; count: number }>(
    'SELECT status, sum(count) AS count FROM webhook_log WHERE received_at >= ? GROUP BY status ORDER BY status',
  )

  const newest = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM webhook_log').pluck()
  const refusedSince = db.prepare<[number, number], { id: number; count: number }>(
    'SELECT id, count FROM webhook_log WHERE refused = 1 AND received_at >= ? ORDER BY id DESC LIMIT ?',
  )

  const digests = db.prepare<[number], { endpoint: string; body_sha256: Buffer; received_at: number; sent_at: number | null }>(
    // Refused bodies carry a digest too, but were never accepted: they are no replay of anything.
    'SELECT endpoint, body_sha256, received_at, sent_at FROM webhook_log WHERE received_at >= ? AND body_sha256 IS NOT NULL AND refused = 0 AND status BETWEEN 200 AND 299',
  )

  return {
    add,
    setCount,
    query,
    get,
    /** Bodies accepted under the replay guard since a time (to remember them across a restart). */
    digestsSince: (sinceMs: number) => digests.all(sinceMs),
    /** Requests per HTTP status since a time (the desk's "requests by status" chart). */
    statusCounts: (sinceMs: number) => byStatus.all(sinceMs),
    /** The newest entry's id (0 for an empty log). */
    newestId: (): number => newest.get() ?? 0,
    /** The counts of refused entries since a time, newest first, at most `limit`: aggregates that may still grow. */
    refusedCounts: (sinceMs: number, limit: number) => refusedSince.all(sinceMs, limit),
  }
}
