// The alerts venue rules raise, inside the decision's write: a zone nearing (90 %) and at
// (100 %) capacity — each raised once as the count crosses it, resolved 5 points below so a count
// hovering at the line does not ring every minute; a blocked badge used (critical, naming the
// reader and the person); a VIP arriving (a notice for the desk at once).
import type { AlertView, DecisionView } from '../../../shared/domain'
import type { Alerts } from '../access/alerts'
import type { ZoneRow } from './zones'
import type { WatchHit } from './watch-list'

const NEAR = 0.9
const HYSTERESIS = 0.05

const who = (d: DecisionView): string =>
  d.attendee ? `${d.attendee.first_name} ${d.attendee.last_name}` : `credential ${d.credential_value}`

export function createVenueAlerts(alerts: Alerts) {
  return {
    /** After a movement: the zone's capacity alerts as its count now says. */
    capacity(zone: ZoneRow, at: number): Array<AlertView | undefined> {
      if (zone.capacity === null || zone.capacity <= 0) return []
      const share = zone.inside / zone.capacity
      const counts = `${zone.inside} of ${zone.capacity} inside`
      const out: Array<AlertView | undefined> = []
      if (share >= 1) {
        out.push(
          alerts.raise(
            'zone_at_capacity',
            zone.name,
            `${zone.name} is at capacity: ${counts}.${zone.hard ? ' Further entries are denied (zone_full).' : ' Entries are still granted (the capacity is not hard).'}`,
            at,
          ),
        )
      } else if (share < 1 - HYSTERESIS) out.push(alerts.resolve('zone_at_capacity', zone.name, at))
      if (share >= NEAR) out.push(alerts.raise('zone_near_capacity', zone.name, `${zone.name} is nearly full: ${counts}.`, at))
      else if (share < NEAR - HYSTERESIS) out.push(alerts.resolve('zone_near_capacity', zone.name, at))
      return out
    },
    /** A watch-listed credential or attendee was scanned. */
    watched(watch: WatchHit, d: DecisionView, at: number): AlertView | undefined {
      const note = watch.note ? ` Note: ${watch.note}` : ''
      if (watch.kind === 'blocked') {
        return alerts.raise(
          'blocked_credential',
          `watch ${watch.id}`,
          `Blocked: ${who(d)} (${d.credential_value}) scanned at reader ${d.reader_id} and was denied.${note}`,
          at,
        )
      }
      if (!d.access_granted) return undefined
      // One notice per arrival: its subject is the decision.
      return alerts.raise('watchlist_arrival', `decision ${d.id}`, `VIP arrived: ${who(d)} at reader ${d.reader_id}.${note}`, at)
    },
  }
}

export type VenueAlerts = ReturnType<typeof createVenueAlerts>
