// What the four endpoints do, each inside the write transaction that also logs the request: the
// state change and the answer; what reaches the live hub runs after the commit (`after`).
import type { Hub } from '../hub'
import type { EndpointHandlers, EndpointOutcome } from '../receiver/app'
import type { StationEvents } from '../../../shared/events'
import type { AttendeeSyncPayload, AttendeeSyncResponse } from '../../../shared/webhooks'
import type { AlertView } from '../../../shared/domain'
import type { Projects } from './projects'
import type { Attendees, SyncResults } from './attendees'
import type { Cvent } from './cvent'
import { isReaderDown, type Gateways } from './gateways'
import type { Decisions } from './decisions'
import type { Alerts } from './alerts'
import type { ClockWatch } from './clock-watch'
import type { StatusRepeats } from './status-repeats'
import type { ConflictAlerts } from './conflict-alerts'
import type { VenueAlerts } from '../venue/venue-alerts'
import type { ZoneRow } from '../venue/zones'
import type { ZoneView } from '../../../shared/venue'
import { skewText } from './clock'

export interface HandlerDeps {
  hub: Hub<StationEvents>
  projects: Projects
  attendees: Attendees
  cvent: Cvent
  gateways: Gateways
  decisions: Decisions
  alerts: Alerts
  clock: ClockWatch
  repeats: StatusRepeats
  conflictAlerts: ConflictAlerts
  venueAlerts: VenueAlerts
  zoneView: (z: ZoneRow) => ZoneView
  /** Gateways known to be offline (shared with the sweep). */
  offline: Set<string>
  /** When each gateway last sent only a repeat (for the offline alert's words). */
  lastRepeat: Map<string, number>
}

export const CONFLICT_ERROR = {
  error: 'Credential conflict',
  message: 'The registration id is already the credential of another attendee; nothing was applied',
}

export function createHandlers(deps: HandlerDeps): EndpointHandlers {
  const { hub, projects, attendees, cvent, gateways, decisions, alerts, clock, repeats, offline } = deps
  const emitAll = (list: Array<AlertView | undefined>): void => {
    for (const a of list) if (a) hub.emit('alert:changed', a)
  }

  return {
    'mqtt-gateway-status': (payload, ctx) => {
      const ok = { success: true, message: 'Status updated' }
      const digest = repeats.digest(ctx.raw)
      const repeatOf = repeats.check(digest, ctx.receivedAt)
      if (repeatOf !== null) {
        deps.lastRepeat.set(payload.gateway_id, ctx.receivedAt)
        const ago = skewText(ctx.receivedAt - repeatOf)
        return {
          status: 200,
          body: ok,
          bodySha256: digest,
          reason: `repeat: byte-identical to a report received ${ago} ago; not proof of life`,
        }
      }
      const change = gateways.applyStatus(payload, ctx.receivedAt)
      const raised: Array<AlertView | undefined> = []
      if (payload.timestamp) raised.push(clock.observe(payload.gateway_id, Date.parse(payload.timestamp), ctx.receivedAt, change.ignored))
      if (!change.ignored) {
        deps.lastRepeat.delete(payload.gateway_id)
        if (payload.status.toLowerCase() === 'offline') {
          raised.push(
            alerts.raise('gateway_offline', payload.gateway_id, `Gateway ${payload.gateway_id} reports itself offline`, ctx.receivedAt),
          )
          offline.add(payload.gateway_id)
        } else {
          raised.push(alerts.resolve('gateway_offline', payload.gateway_id, ctx.receivedAt))
          offline.delete(payload.gateway_id)
        }
        for (const r of change.readerChanges) {
          if (isReaderDown(r.after)) {
            raised.push(
              alerts.raise(
                'reader_disconnected',
                r.readerId,
                `Reader ${r.readerId} on ${payload.gateway_id} is ${r.after}`,
                ctx.receivedAt,
              ),
            )
          } else if (r.after.toLowerCase() === 'connected') {
            raised.push(alerts.resolve('reader_disconnected', r.readerId, ctx.receivedAt))
          }
        }
      }
      const view = change.ignored ? undefined : gateways.gateway(payload.gateway_id)
      return {
        status: 200,
        body: ok,
        bodySha256: digest,
        reason: change.ignored ? 'not newer than the status already applied; ignored (not proof of life)' : null,
        after: () => {
          if (view) hub.emit('gateway:changed', view)
          emitAll(raised)
        },
      }
    },

    'access-event': (payload, ctx) => {
      // A failure here fails this scan alone (its savepoint rolls back) and the receiver answers 503.
      const d = decisions.decide(payload, ctx.receivedAt)
      const { view, reader } = d
      const gatewayName = reader.gateway_id === null ? undefined : gateways.nameOf(reader.gateway_id)
      const raised: Array<AlertView | undefined> = []
      if (payload.timestamp)
        raised.push(clock.observe(gatewayName ?? `Reader ${reader.reader_id}`, Date.parse(payload.timestamp), ctx.receivedAt))
      // The desk moves a reader's last scan from the decision itself; views are rebuilt (costly,
      // on the hot path) only when something else changed: a new reader, a gateway coming back.
      // Only a fresh scan is news about its reader and gateway.
      const fresh = !d.repeat
      const gatewayView = fresh && gatewayName !== undefined && offline.has(gatewayName) ? gateways.gatewayOfReader(reader) : undefined
      const readerView = fresh && d.newReader ? gateways.readerView(gateways.reader(reader.reader_id)!) : undefined
      // A scan through a gateway that had fallen silent proves it is back: the cause has cleared.
      const back = gatewayView && gatewayView.health !== 'offline' ? gatewayView.gateway_id : null
      if (back !== null) raised.push(alerts.resolve('gateway_offline', back, ctx.receivedAt))
      const zoneView = !d.retry && d.view.movement && d.zone ? deps.zoneView(d.zone) : undefined
      if (!d.retry) {
        if (d.view.movement && d.zone) raised.push(...deps.venueAlerts.capacity(d.zone, ctx.receivedAt))
        if (d.judgement?.watch) raised.push(deps.venueAlerts.watched(d.judgement.watch, d.view, ctx.receivedAt))
      }
      const reason = d.retry
        ? `${view.reason} (retry of decision ${view.id})`
        : d.retryOf !== null
          ? `${view.reason} (retry of decision ${d.retryOf}, decided afresh)`
          : view.reason
      return {
        status: 200,
        body: d.response,
        reason,
        after: () => {
          emitAll(raised)
          if (d.retry) return
          if (back !== null) offline.delete(back)
          hub.emit('access:decided', view)
          if (gatewayView) hub.emit('gateway:changed', gatewayView)
          if (readerView) hub.emit('reader:changed', readerView)
          if (zoneView) hub.emit('zone:changed', zoneView)
        },
      }
    },

    cvent: (payload, ctx) => {
      const result = cvent.apply(payload, ctx.receivedAt)
      const raised: Array<AlertView | undefined> = []
      if (result.outcome !== 'duplicate') raised.push(clock.observe('Cvent', Date.parse(payload.timestamp), ctx.receivedAt))
      if (result.outcome === 'conflict') {
        const registration = payload.data.registration_id
        if (result.conflict!.opened) raised.push(deps.conflictAlerts.update(result.projectId, ctx.receivedAt))
        return {
          status: 409,
          body: { ...CONFLICT_ERROR, errors: { 'data.registration_id': [`${registration} ${result.conflict!.message}`] } },
          reason: `${payload.event_type}: refused, ${registration} ${result.conflict!.message}${result.conflict!.opened ? ' (credential denied to both until resolved)' : ''}`,
          after: () => emitAll(raised),
        }
      }
      const message =
        result.outcome === 'duplicate'
          ? 'Duplicate event ignored'
          : result.outcome === 'stale'
            ? 'Older than the last event applied; ignored'
            : 'Event processed'
      return {
        status: 200,
        body: { success: true, message },
        reason: result.outcome === 'applied' ? payload.event_type : `${payload.event_type}: ${result.outcome}`,
        after: () => emitAll(raised),
      }
    },

    'attendee-sync': (payload) => {
      const projectId = projects.ensure(payload.team_slug, payload.project_slug)
      return syncOutcome(hub, payload, attendees.sync(projectId, payload))
    },
  }
}

/** A sync's answer, log reason and live summary, however it was applied (at once or in slices). */
export function syncOutcome(hub: Hub<StationEvents>, payload: AttendeeSyncPayload, results: SyncResults): EndpointOutcome {
  const body: AttendeeSyncResponse = { success: true, results }
  const summary = {
    project: `${payload.team_slug}/${payload.project_slug}`,
    sync_mode: payload.sync_mode,
    created: results.created,
    updated: results.updated,
    skipped: results.skipped,
    errors: results.errors.length,
    at: new Date().toISOString(),
  }
  return {
    status: 200,
    body,
    reason: `${payload.sync_mode}: ${results.created} created, ${results.updated} updated, ${results.skipped} skipped, ${results.errors.length} errors`,
    after: () => hub.emit('sync:completed', summary),
  }
}
