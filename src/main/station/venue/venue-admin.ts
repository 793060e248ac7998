// Setting and showing venue rules, for the desk and the CLI alike: zones, reader zones and hours,
// the watch list, overrides, forgiving an anti-passback denial, lockdowns. Every change is one
// write through the commit queue, names the operator, and is pushed to the desks after its commit.
import type { CommitQueue } from '../store/commit-queue'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import type { AccessControl } from '../access/control'
import type { Direction, LockdownView, OverrideView, WatchEntryView, WatchKind, ZoneView } from '../../../shared/venue'
import type { ReaderView } from '../../../shared/domain'
import type { ZoneRow, ZoneSettings } from './zones'
import type { OpenWindow } from './open-windows'

/** How long a VIP-arrival notice stays open. */
const ARRIVAL_NOTICE_MS = 30 * 60_000

export class VenueInputError extends Error {
  override name = 'VenueInputError'
}

export type VenueAdmin = ReturnType<typeof createVenueAdmin>

export function createVenueAdmin(deps: { queue: CommitQueue; hub: Hub<StationEvents>; access: AccessControl }) {
  const { queue, hub, access } = deps
  const { zones, watch, lockdowns, overrides } = access

  const zoneView = access.zoneView
  const zoneNamed = (name: string): ZoneRow => {
    const z = zones.byName(name)
    if (!z) throw new VenueInputError(`No zone "${name}" (a zone appears when a reader is put in it: gatehouse reader <id> --zone ${name})`)
    return z
  }
  const pushZone = (z: ZoneRow | undefined): void => {
    if (z) hub.emit('zone:changed', zoneView(z))
  }
  const venueChanged = (): void => hub.emit('config:changed', { what: 'venue' })

  return {
    zoneView,
    zones: (): ZoneView[] => zones.all().map(zoneView),
    lockdowns: (): LockdownView[] => lockdowns.list(),
    watchList: (): WatchEntryView[] => watch.list(),
    overrides: (): OverrideView[] => overrides.open(),

    async configureZone(name: string, s: ZoneSettings): Promise<ZoneView> {
      if (s.capacity !== undefined && s.capacity !== null && (!Number.isInteger(s.capacity) || s.capacity < 1)) {
        throw new VenueInputError('A capacity is a whole number of people, 1 or more')
      }
      if (
        s.reset_hour !== undefined &&
        s.reset_hour !== null &&
        (!Number.isInteger(s.reset_hour) || s.reset_hour < 0 || s.reset_hour > 23)
      ) {
        throw new VenueInputError('The reset hour is 0–23 (station local time)')
      }
      const { zone, raised } = await queue.enqueue(() => {
        const z = zones.configure(zones.ensure(name), s)
        return { zone: z, raised: access.venueAlerts.capacity(z, Date.now()) }
      })
      pushZone(zone)
      for (const a of raised) if (a) hub.emit('alert:changed', a)
      venueChanged()
      return zoneView(zone)
    },

    async resetZone(name: string): Promise<ZoneView> {
      const zone = zoneNamed(name)
      const { after, raised } = await queue.enqueue(() => {
        zones.reset(zone.id, Date.now())
        const z = zones.byId(zone.id)!
        return { after: z, raised: access.venueAlerts.capacity(z, Date.now()) }
      })
      pushZone(after)
      for (const a of raised) if (a) hub.emit('alert:changed', a)
      return zoneView(after)
    },

    /** A reader's zone and direction, and its opening hours. */
    async placeReader(
      readerId: string,
      place: { zone?: string | null; direction?: Direction; open_windows?: OpenWindow[] | null },
    ): Promise<ReaderView> {
      const row = await queue.enqueue(() => {
        const zoneId = place.zone === undefined ? undefined : place.zone === null ? null : zones.ensure(place.zone).id
        return access.gateways.configureReader(readerId, { zone_id: zoneId, direction: place.direction, open_windows: place.open_windows })
      })
      if (!row) throw new VenueInputError(`No reader "${readerId}" has been seen yet`)
      const gw = access.gateways.gatewayOfReader(row)
      const view = gw?.readers.find((r) => r.reader_id === readerId) ?? access.gateways.readerView(row)
      if (gw) hub.emit('gateway:changed', gw)
      else hub.emit('reader:changed', view)
      if (row.zone_id !== null) pushZone(zones.byId(row.zone_id))
      venueChanged()
      return view
    },

    async watch(
      target: { credential: string } | { attendee: string; project: string },
      kind: WatchKind,
      note: string,
      until: number | null,
      by: string,
    ): Promise<WatchEntryView> {
      const resolved =
        'credential' in target
          ? { credential: target.credential }
          : (() => {
              const projectId = access.projects.find(target.project)
              const a = projectId === undefined ? undefined : access.attendees.byExternal(projectId, target.attendee)
              if (!a) throw new VenueInputError(`No attendee ${target.attendee} in ${target.project}`)
              return { attendee_id: a.id }
            })()
      const entry = await queue.enqueue(() => watch.add(resolved, kind, note, until, by, Date.now()))
      venueChanged()
      return entry
    },

    async unwatch(id: number, by: string): Promise<WatchEntryView> {
      const entry = await queue.enqueue(() => watch.remove(id, by, Date.now()))
      venueChanged()
      return entry
    },

    async admitOnce(readerId: string, credential: string | null, minutes: number, note: string, by: string): Promise<OverrideView> {
      if (!access.gateways.reader(readerId)) throw new VenueInputError(`No reader "${readerId}" has been seen yet`)
      if (!Number.isFinite(minutes) || minutes < 1 || minutes > 240) throw new VenueInputError('An override lasts 1 to 240 minutes')
      const o = await queue.enqueue(() => overrides.add(readerId, credential, minutes, note, by, Date.now()))
      venueChanged()
      return o
    },

    async cancelOverride(id: number): Promise<OverrideView> {
      const o = await queue.enqueue(() => overrides.cancel(id, Date.now()))
      if (!o) throw new VenueInputError(`No open override ${id}`)
      venueChanged()
      return o
    },

    /** Forgives an anti-passback denial: the person counts as outside, so their next entry is let in. */
    async forgive(decisionId: number): Promise<ZoneView | null> {
      const d = access.decisions.get(decisionId)
      if (!d) throw new VenueInputError(`No decision ${decisionId}`)
      if (d.reason !== 'anti_passback' || !d.attendee) throw new VenueInputError('Only an anti-passback denial can be forgiven')
      const attendeeId = d.attendee.id
      const left = await queue.enqueue(() => zones.forgive(attendeeId))
      const zone = left === null ? undefined : zones.byId(left)
      pushZone(zone)
      return zone ? zoneView(zone) : null
    },

    async lockdown(on: boolean, zone: string | null, by: string, note = ''): Promise<LockdownView[]> {
      if (zone !== null) zoneNamed(zone)
      await queue.enqueue(() => (on ? lockdowns.set(zone, by, note, Date.now()) : void lockdowns.lift(zone)))
      const list = lockdowns.list()
      hub.emit('lockdown:changed', list)
      venueChanged()
      return list
    },

    /**
     * The station's venue sweep: zones whose reset hour has come start from nobody inside, and VIP
     * arrival notices older than half an hour are put away (they were news then).
     */
    async sweep(now = Date.now()): Promise<void> {
      const due = zones.dueResets(now)
      const stale = access.alerts.openOlderThan('watchlist_arrival', now - ARRIVAL_NOTICE_MS)
      if (due.length === 0 && stale.length === 0) return
      const { after, resolved } = await queue.enqueue(() => ({
        after: due.map((z) => (zones.reset(z.id, now), zones.byId(z.id)!)),
        resolved: stale.map((a) => access.alerts.resolve('watchlist_arrival', a.subject, now)),
      }))
      after.forEach(pushZone)
      for (const a of resolved) if (a) hub.emit('alert:changed', a)
    },
  }
}
