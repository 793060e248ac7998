// Zones and who is inside them. A granted entry scan moves a person into the reader's zone (out of
// any other: one zone at a time), a granted exit scan out of it; `inside` is kept beside the
// presence rows in the same write, so it is always entries − exits by person and never negative,
// and a capacity check is one row read. All of it rides the decision's transaction.
import type { Db } from '../store/db'

export interface ZoneRow {
  id: number
  name: string
  capacity: number | null
  hard: number
  anti_passback: number
  reset_hour: number | null
  last_reset_at: number | null
  inside: number
  created_at: number
}

export interface ZoneSettings {
  capacity?: number | null
  hard?: boolean
  anti_passback?: boolean
  reset_hour?: number | null
}

export type Zones = ReturnType<typeof createZones>

/** The most recent local time at `hour`:00 not after `now`. */
export function lastOccurrence(hour: number, now: number): number {
  const d = new Date(now)
  d.setHours(hour, 0, 0, 0)
  if (d.getTime() > now) d.setDate(d.getDate() - 1)
  return d.getTime()
}

export function createZones(db: Db) {
  const byId = db.prepare<[number], ZoneRow>('SELECT * FROM zones WHERE id = ?')
  const byName = db.prepare<[string], ZoneRow>('SELECT * FROM zones WHERE name = ?')
  const all = db.prepare<[], ZoneRow>('SELECT * FROM zones ORDER BY name')
  const insert = db.prepare<[string, number], ZoneRow>('INSERT INTO zones (name, created_at) VALUES (?, ?) RETURNING *')
  const update = db.prepare<[number | null, number, number, number | null, number]>(
    'UPDATE zones SET capacity = ?, hard = ?, anti_passback = ?, reset_hour = ? WHERE id = ?',
  )
  const presenceOf = db.prepare<[number], { zone_id: number; entered_at: number }>(
    'SELECT zone_id, entered_at FROM presence WHERE attendee_id = ?',
  )
  const setPresence = db.prepare<[number, number, number]>(
    'INSERT INTO presence (attendee_id, zone_id, entered_at) VALUES (?, ?, ?) ON CONFLICT (attendee_id) DO UPDATE SET zone_id = excluded.zone_id, entered_at = excluded.entered_at',
  )
  const dropPresence = db.prepare<[number]>('DELETE FROM presence WHERE attendee_id = ?')
  const bump = db.prepare<[number, number]>('UPDATE zones SET inside = inside + ? WHERE id = ?')
  const emptyZone = db.prepare<[number]>('DELETE FROM presence WHERE zone_id = ?')
  const markReset = db.prepare<[number, number]>('UPDATE zones SET inside = 0, last_reset_at = ? WHERE id = ?')
  const counted = db.prepare<[], { zone_id: number; n: number }>('SELECT zone_id, count(*) AS n FROM presence GROUP BY zone_id')
  const readersIn = db.prepare<[number], { reader_id: string; direction: string }>(
    'SELECT reader_id, direction FROM readers WHERE zone_id = ? ORDER BY reader_id',
  )

  return {
    byId: (id: number) => byId.get(id),
    byName: (name: string) => byName.get(name),
    all: () => all.all(),
    readersIn: (id: number) => readersIn.all(id),
    /** The zone of that name, created when new. Call inside a write. */
    ensure(name: string, at = Date.now()): ZoneRow {
      return byName.get(name) ?? insert.get(name, at)!
    },
    configure(zone: ZoneRow, s: ZoneSettings): ZoneRow {
      update.run(
        s.capacity === undefined ? zone.capacity : s.capacity,
        s.hard === undefined ? zone.hard : Number(s.hard),
        s.anti_passback === undefined ? zone.anti_passback : Number(s.anti_passback),
        s.reset_hour === undefined ? zone.reset_hour : s.reset_hour,
        zone.id,
      )
      return byId.get(zone.id)!
    },
    presenceOf: (attendeeId: number) => presenceOf.get(attendeeId),
    /** Moves a person into a zone (out of the one they were in); returns the zone left, if any. */
    enter(attendeeId: number, zoneId: number, at: number): number | null {
      const was = presenceOf.get(attendeeId)
      if (was?.zone_id === zoneId) return null
      if (was) bump.run(-1, was.zone_id)
      setPresence.run(attendeeId, zoneId, at)
      bump.run(1, zoneId)
      return was?.zone_id ?? null
    },
    /** Moves a person out of a zone; false when they were not in it. */
    leave(attendeeId: number, zoneId: number): boolean {
      if (presenceOf.get(attendeeId)?.zone_id !== zoneId) return false
      dropPresence.run(attendeeId)
      bump.run(-1, zoneId)
      return true
    },
    /** Forgives an anti-passback denial: the person counts as outside (of whatever zone). */
    forgive(attendeeId: number): number | null {
      const was = presenceOf.get(attendeeId)
      if (!was) return null
      dropPresence.run(attendeeId)
      bump.run(-1, was.zone_id)
      return was.zone_id
    },
    /** Nobody is inside any more (an admin's reset, or the zone's reset hour). */
    reset(zoneId: number, at: number): void {
      emptyZone.run(zoneId)
      markReset.run(at, zoneId)
    },
    /** Zones whose reset hour has come since their last reset. */
    dueResets(now: number): ZoneRow[] {
      return all.all().filter((z) => z.reset_hour !== null && (z.last_reset_at ?? z.created_at) < lastOccurrence(z.reset_hour, now))
    },
    /** Inside counts recomputed from the presence rows (the stress test's cross-check). */
    countedFromPresence(): Map<number, number> {
      return new Map(counted.all().map((r) => [r.zone_id, r.n]))
    },
  }
}
