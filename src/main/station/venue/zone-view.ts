// A zone as the desk and the CLI show it: who is inside against its capacity, its readers, and
// whether it is locked down.
import type { Direction, ZoneView } from '../../../shared/venue'
import type { Zones, ZoneRow } from './zones'
import type { Lockdowns } from './lockdowns'

export function createZoneViews(zones: Zones, lockdowns: Lockdowns) {
  return (z: ZoneRow): ZoneView => ({
    name: z.name,
    inside: z.inside,
    capacity: z.capacity,
    hard: z.hard === 1,
    anti_passback: z.anti_passback === 1,
    reset_hour: z.reset_hour,
    last_reset_at: z.last_reset_at === null ? null : new Date(z.last_reset_at).toISOString(),
    readers: zones.readersIn(z.id).map((r) => ({ reader_id: r.reader_id, direction: r.direction as Direction })),
    lockdown: lockdowns.closing(z.name) ?? null,
  })
}
