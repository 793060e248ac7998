// Test support for occupancy: who should be inside each zone, replayed from the decisions alone
// (each grant's movement, in order), beside what the store keeps (zones.inside, presence rows).
import type { Database } from 'better-sqlite3'

export interface Occupancy {
  /** zone name → people inside, by replaying the decisions. */
  replayed: Record<string, number>
  /** zone name → zones.inside. */
  kept: Record<string, number>
  /** zone name → presence rows. */
  present: Record<string, number>
}

export function occupancy(db: Database): Occupancy {
  const names = new Map((db.prepare('SELECT id, name FROM zones').all() as Array<{ id: number; name: string }>).map((z) => [z.id, z.name]))
  const where = new Map<number, number>()
  const moves = db
    .prepare('SELECT attendee_id, zone_id, movement FROM decisions WHERE granted = 1 AND movement IS NOT NULL ORDER BY id')
    .iterate() as IterableIterator<{ attendee_id: number; zone_id: number; movement: string }>
  for (const m of moves) {
    if (m.movement === 'in') where.set(m.attendee_id, m.zone_id)
    else if (where.get(m.attendee_id) === m.zone_id) where.delete(m.attendee_id)
  }
  const tally = (pairs: Iterable<[number, number]>): Record<string, number> => {
    const out: Record<string, number> = Object.fromEntries([...names.values()].map((n) => [n, 0]))
    for (const [zone, n] of pairs) out[names.get(zone) ?? String(zone)] = (out[names.get(zone) ?? String(zone)] ?? 0) + n
    return out
  }
  return {
    replayed: tally([...where.values()].map((z) => [z, 1] as [number, number])),
    kept: tally((db.prepare('SELECT id, inside FROM zones').all() as Array<{ id: number; inside: number }>).map((z) => [z.id, z.inside])),
    present: tally(
      (db.prepare('SELECT zone_id, count(*) AS n FROM presence GROUP BY zone_id').all() as Array<{ zone_id: number; n: number }>).map(
        (r) => [r.zone_id, r.n],
      ),
    ),
  }
}
