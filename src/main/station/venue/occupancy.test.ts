// A simulated venue of 4 zones × 8 readers (entry, exit and two-way doors) under concurrent scans
// through the real receiver: each zone's inside count equals its granted entries minus exits, by
// person, replayed from the decisions alone — also after a restart. (With SIGKILLs mid-run and
// 5,000 attendees: occupancy.stress.ts.)
import { afterEach, describe, expect, it } from 'vitest'
import { openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'
import { occupancy } from '../../test-support/venue-replay'
import type { Direction } from '../../../shared/venue'

let s: AccessStation
afterEach(async () => {
  await s?.close()
})

const ZONES = ['Hall', 'Gala', 'Expo', 'Lounge']
const DIRECTIONS: Direction[] = ['entry', 'entry', 'entry', 'exit', 'exit', 'exit', 'both', 'both']

describe('occupancy', () => {
  it('inside = granted entries − exits by person in every zone, with anti-passback and capacity on, after a restart too', async () => {
    s = await openAccessStation()
    const people = 150
    const rows = Array.from({ length: people }, (_, i) => ({
      external_id: `A${i}`,
      first_name: 'A',
      last_name: `${i}`,
      credential_value: `Q${i}`,
    }))
    await s.send('attendee-sync', syncBody('upsert', rows))
    const readers = ZONES.flatMap((z) => DIRECTIONS.map((d, i) => ({ id: `${z}-${d}-${i}`, zone: z, direction: d })))
    for (const r of readers) await s.send('access-event', { reader_id: r.id, credential_value: 'NOBODY' })
    for (const r of readers) await s.station.venue.placeReader(r.id, { zone: r.zone, direction: r.direction })
    await s.station.venue.configureZone('Hall', { anti_passback: true })
    await s.station.venue.configureZone('Gala', { capacity: 15, hard: true })
    // A fixed pseudo-random walk (so a failure replays): who scans where.
    let seed = 12345
    const next = (k: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), Math.floor(seed / 65536) % k)
    let n = 0
    const worker = async (): Promise<void> => {
      while (n < 3000) {
        const i = n++
        const r = readers[next(readers.length)]!
        const res = await s.send('access-event', {
          reader_id: r.id,
          credential_value: `Q${next(people)}`,
          timestamp: new Date(Date.now() - 1000 - i).toISOString(),
        })
        expect(res.status).toBe(200)
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    const check = () => {
      const o = occupancy(s.station.db)
      expect(o.kept).toEqual(o.replayed)
      expect(o.present).toEqual(o.replayed)
      return o
    }
    const o = check()
    expect(Object.values(o.replayed).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    expect(o.replayed.Gala).toBeLessThanOrEqual(15)
    const reasons = s.station.db.prepare('SELECT DISTINCT reason FROM decisions').pluck().all()
    expect(reasons).toEqual(expect.arrayContaining(['granted', 'anti_passback', 'zone_full']))
    await s.restart()
    expect(check()).toEqual(o)
  })
})
