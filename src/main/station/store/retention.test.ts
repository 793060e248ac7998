// Retention over backdated rows in a real store, and the station's timer that drains it in batches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDb, type Db } from './db'
import { createRetention } from './retention'
import { createStation } from '../station'
import { signatureHeaderValue } from '../receiver/signature'

const DAY = 86_400_000
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-retention-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** `n` log entries and decisions, `ageDays` old, each log row carrying `bodyBytes` of body. */
function backdate(db: Db, n: number, ageDays: number, bodyBytes = 100, now = Date.now()): void {
  const log = db.prepare(
    `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size)
     VALUES ('/webhook/v1/access-event', 'POST', 200, '10.0.0.1', ?, 1, NULL, '{}', ?, ?)`,
  )
  const decision = db.prepare(
    `INSERT INTO decisions (reader_id, credential_value, scanned_at, decided_at, granted, reason) VALUES ('R', ?, NULL, ?, 0, 'unknown_credential')`,
  )
  const body = Buffer.alloc(bodyBytes, 120)
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const at = now - ageDays * DAY + i
      log.run(at, body, bodyBytes)
      decision.run(`C-${ageDays}-${i}`, at)
    }
  })()
}

const counts = (db: Db) => ({
  log: (db.prepare('SELECT count(*) AS n FROM webhook_log').get() as { n: number }).n,
  decisions: (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n,
})

describe('retention', () => {
  it('prunes rows older than the retention age, one bounded batch per step, and keeps the rest', () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    backdate(db, 2500, 31)
    backdate(db, 300, 29)
    const retention = createRetention(db, { days: 30, maxMb: 1024, batchRows: 1000 })
    const steps = []
    let r
    do {
      const t0 = performance.now()
      r = db.transaction(() => retention.step())()
      steps.push({ ...r, ms: performance.now() - t0 })
    } while (r.more)
    expect(steps.map((s) => [s.log, s.decisions, s.cause])).toEqual([
      [1000, 1000, 'age'],
      [1000, 1000, 'age'],
      [500, 500, 'age'],
    ])
    expect(retention.step()).toEqual({ log: 0, decisions: 0, cause: null, more: false })
    expect(counts(db)).toEqual({ log: 300, decisions: 300 })
    db.close()
  })

  it('trims the oldest rows while the store is over its size budget, but never the last day', () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    const now = Date.now()
    backdate(db, 3000, 10, 4000, now) // ~12 MB of old bodies
    backdate(db, 1000, 0.5, 4000, now) // ~4 MB from the last day
    const retention = createRetention(db, { days: 30, maxMb: 8, batchRows: 500 })
    expect(retention.usedBytes()).toBeGreaterThan(16 * 1024 * 1024)
    let r
    do r = db.transaction(() => retention.step())()
    while (r.more)
    expect(retention.usedBytes()).toBeLessThanOrEqual(8 * 1024 * 1024)
    const left = counts(db)
    expect(left.log).toBeGreaterThan(1000)
    expect(left.log).toBeLessThan(3000)
    // The newest rows stay; only the oldest went.
    const oldest = (db.prepare('SELECT min(received_at) AS at FROM webhook_log').get() as { at: number }).at
    expect(oldest).toBeGreaterThan(now - 10 * DAY + 100)

    // A budget the last day alone exceeds: everything older goes, the last day stays.
    const tight = createRetention(db, { days: 30, maxMb: 1, batchRows: 500 })
    do r = db.transaction(() => tight.step())()
    while (r.more)
    expect(counts(db)).toMatchObject({ log: 1000 })
    db.close()
  })

  it('over budget, refused entries go first, even from the last hour; accepted ones keep the last-day rule', () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    backdate(db, 1000, 0.5, 4000) // ~4 MB accepted in the last day
    const refused = db.prepare(
      `INSERT INTO webhook_log (endpoint, method, status, source_ip, received_at, response_time_ms, reason, headers, body, body_size, refused)
       VALUES ('/webhook/v1/access-event', 'POST', 401, '10.6.6.6', ?, 1, 'signature mismatch', '{}', ?, 4000, 1)`,
    )
    const now = Date.now()
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) refused.run(now - 3600_000 + i, Buffer.alloc(4000, 0x7a)) // ~12 MB of refusals, this hour
    })()
    const refusedLeft = (): number => (db.prepare('SELECT count(*) AS n FROM webhook_log WHERE refused = 1').get() as { n: number }).n
    const retention = createRetention(db, { days: 30, maxMb: 8, batchRows: 500 })
    let r
    do r = db.transaction(() => retention.step())()
    while (r.more)
    expect(retention.usedBytes()).toBeLessThanOrEqual(8 * 1024 * 1024)
    expect(refusedLeft()).toBeGreaterThan(0)
    expect(refusedLeft()).toBeLessThan(3000)
    expect(counts(db).log - refusedLeft()).toBe(1000)
    // Oldest refusals first.
    const oldestRefused = (db.prepare('SELECT min(received_at) AS at FROM webhook_log WHERE refused = 1').get() as { at: number }).at
    expect(oldestRefused).toBeGreaterThan(now - 3600_000 + 100)

    // A budget the accepted rows alone exceed: every refusal goes, every accepted row of the last day stays.
    const tight = createRetention(db, { days: 30, maxMb: 1, batchRows: 500 })
    do r = db.transaction(() => tight.step())()
    while (r.more)
    expect(refusedLeft()).toBe(0)
    expect(counts(db)).toMatchObject({ log: 1000 })
    db.close()
  })

  it('runs on the station’s timer through the commit queue while requests keep coming', async () => {
    const db = openDb(join(dir, 'gatehouse.db'))
    backdate(db, 4500, 40)
    backdate(db, 10, 1)
    db.close()
    const station = await createStation({ dataDir: dir, retentionIntervalMs: 50 })
    try {
      const { port } = await station.listen('127.0.0.1', 0)
      const key = station.secrets.info('mqtt-gateway-status').secret
      const body = '{"gateway_id":"GW-1","status":"online"}'
      const latencies: number[] = []
      const t0 = Date.now()
      while (counts(station.db).log > 10 + latencies.length && Date.now() - t0 < 60_000) {
        const s = performance.now()
        const res = await fetch(`http://127.0.0.1:${port}/webhook/v1/mqtt-gateway-status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
          body,
        })
        expect(res.status).toBe(200)
        latencies.push(performance.now() - s)
      }
      expect(counts(station.db)).toEqual({ log: 10 + latencies.length, decisions: 10 })
      // Every request was answered while the backlog drained (how fast is the bench's business).
      expect(latencies.length).toBeGreaterThan(0)
      expect(station.retention.view()).toMatchObject({ days: 30, max_mb: 2048, oldest_log_at: expect.any(String) })
    } finally {
      await station.close()
    }
  })
})
