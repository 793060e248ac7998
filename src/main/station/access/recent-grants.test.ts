// The per-reader duplicate window answered from memory (recent-grants.ts): the same answers the
// store would give, across a restart, after a rolled-back write, and when a window is widened
// past what memory holds.
import { afterEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDb, type Db } from '../store/db'
import { createRecentGrants } from './recent-grants'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'
import { tempDir } from '../../test-support/station'

let s: AccessStation | undefined
let db: Db | undefined
let dir: string | undefined
afterEach(async () => {
  await s?.close()
  db?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  s = db = dir = undefined
})

let tick = 0
async function venue(): Promise<AccessStation> {
  const station = await openAccessStation()
  const seeded = await station.send(
    'attendee-sync',
    syncBody('upsert', [{ external_id: 'EXT-JANE', first_name: 'Jane', last_name: 'Smith', credential_value: 'CRED-JANE' }]),
  )
  expect(seeded.json.results.created).toBe(1)
  await station.send('access-event', { reader_id: 'R-APB', credential_value: 'NOBODY', timestamp: at(++tick) })
  await station.station.queue.enqueue(() => station.station.access.gateways.configureReader('R-APB', { anti_passback_seconds: 600 }))
  return station
}
const scan = (station: AccessStation) =>
  station.send('access-event', { reader_id: 'R-APB', credential_value: 'CRED-JANE', scan_type: 'qr', timestamp: at(++tick) })

describe('the duplicate window, from memory', () => {
  it('holds across a restart: a grant before it still makes the next scan a duplicate', async () => {
    s = await venue()
    expect((await scan(s)).json.reason).toBe('granted')
    expect((await scan(s)).json.reason).toBe('duplicate_scan')
    await s.restart()
    expect((await scan(s)).json.reason).toBe('duplicate_scan')
    // The store agrees: one grant, two duplicates.
    const reasons = s.station.db.prepare("SELECT reason FROM decisions WHERE credential_value = 'CRED-JANE' ORDER BY id").pluck().all()
    expect(reasons).toEqual(['granted', 'duplicate_scan', 'duplicate_scan'])
  })

  it('a grant whose write rolled back leaves nothing behind: the next scan is granted', async () => {
    s = await venue()
    const st = s.station
    // The first grant loads memory; the rolled-back one below is then recorded in it.
    expect((await scan(s)).json.reason).toBe('granted')
    await new Promise((r) => setTimeout(r, 1100))
    // A write that decides a grant (the first is out of a 1 s window), then fails: its savepoint
    // rolls back, and memory with it.
    await st.queue.enqueue(() => st.access.gateways.configureReader('R-APB', { anti_passback_seconds: 1 }))
    const rolledBack = st.queue.enqueue(() => {
      const d = st.access.decisions.decide({ reader_id: 'R-APB', credential_value: 'CRED-JANE', timestamp: at(++tick) }, Date.now())
      expect(d.view.reason).toBe('granted')
      throw new Error('and this grant is undone')
    })
    await expect(rolledBack).rejects.toThrow('and this grant is undone')
    // Had memory kept the undone grant, this would be a duplicate.
    expect((await scan(s)).json.reason).toBe('granted')
    await st.queue.enqueue(() => st.access.gateways.configureReader('R-APB', { anti_passback_seconds: 600 }))
    expect((await scan(s)).json.reason).toBe('duplicate_scan')
  })
})

describe('recent grants on a real store', () => {
  const open = (): Db => {
    dir = tempDir('gatehouse-grants-')
    return openDb(join(dir, 'gatehouse.db'))
  }
  const grant = (d: Db, attendee: number, reader: string, decidedAt: number, granted = 1): number =>
    Number(
      d
        .prepare(
          `INSERT INTO decisions (reader_id, credential_value, decided_at, granted, reason, attendee_id)
           VALUES (?, 'C', ?, ?, ?, ?)`,
        )
        .run(reader, decidedAt, granted, granted ? 'granted' : 'cancelled', attendee).lastInsertRowid,
    )
  const T = 1_800_000_000_000

  it('answers like the store: per person and reader, inside the window, other than the one excepted', () => {
    db = open()
    const g = createRecentGrants(db, { onUndo: () => undefined })
    const first = grant(db, 1, 'R1', T)
    grant(db, 1, 'R1', T + 5_000, 0) // a denial is not a grant
    expect(g.grantedSince(1, 'R1', T - 1, 0, T + 10_000)).toBe(true)
    expect(g.grantedSince(1, 'R1', T + 1, 0, T + 10_000)).toBe(false)
    expect(g.grantedSince(1, 'R2', T - 1, 0, T + 10_000)).toBe(false)
    expect(g.grantedSince(2, 'R1', T - 1, 0, T + 10_000)).toBe(false)
    expect(g.grantedSince(1, 'R1', T - 1, first, T + 10_000)).toBe(false)
    // Recorded grants count at once; with two held, excepting either still finds the other.
    const second = grant(db, 1, 'R1', T + 20_000)
    g.record(1, 'R1', second, T + 20_000)
    expect(g.grantedSince(1, 'R1', T - 1, second, T + 30_000)).toBe(true)
    expect(g.grantedSince(1, 'R1', T - 1, first, T + 30_000)).toBe(true)
    expect(g.grantedSince(1, 'R1', T + 10_000, second, T + 30_000)).toBe(false)
  })

  it('a window widened past what memory holds reads the older grants from the store', () => {
    db = open()
    const g = createRecentGrants(db, { onUndo: () => undefined, minSpanMs: 1_000 })
    grant(db, 7, 'R1', T)
    // A 1 s window: memory loads from T + 59 s and later prunes anything older than a second.
    expect(g.grantedSince(7, 'R1', T + 59_000, 0, T + 60_000)).toBe(false)
    g.record(9, 'R9', grant(db, 9, 'R9', T + 61_000), T + 61_000)
    g.record(9, 'R9', grant(db, 9, 'R9', T + 63_000), T + 63_000)
    // Now a 10-minute window: the grant at T is older than memory's horizon, and still found.
    expect(g.grantedSince(7, 'R1', T + 63_000 - 600_000, 0, T + 63_000)).toBe(true)
  })
})
