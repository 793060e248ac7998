// What the four endpoints do: the endpoint handlers (run inside the write transaction), the
// health sweep, and alert bookkeeping. Plain Node; the desk only displays what this decides.
import type { Db } from '../store/db'
import type { CommitQueue } from '../store/commit-queue'
import type { SettingsStore } from '../store/settings'
import type { Hub } from '../hub'
import type { EndpointHandlers, RefusalKind } from '../receiver/app'
import type { StationEvents } from '../../../shared/events'
import type { AttendeeSyncResponse } from '../../../shared/webhooks'
import type { AlertView } from '../../../shared/domain'
import { createProjects } from './projects'
import { createAttendees } from './attendees'
import { createCvent } from './cvent'
import { createGateways, isReaderDown } from './gateways'
import { createDecisions } from './decisions'
import { createAlerts } from './alerts'
import { createBurstAlerts } from './burst-alerts'

export interface AccessControlDeps {
  db: Db
  queue: CommitQueue
  hub: Hub<StationEvents>
  settings: SettingsStore
  gatewayTimeoutSeconds: number
}

export type AccessControl = ReturnType<typeof createAccessControl>

/** SQLite's error code (SQLITE_READONLY…) of a store error, or of the error it wraps. */
function errorCode(err: unknown): string {
  const own = (err as { code?: unknown } | null)?.code
  const wrapped = (err as { cause?: { code?: unknown } } | null)?.cause?.code
  return typeof own === 'string' ? own : typeof wrapped === 'string' ? wrapped : ''
}

export function createAccessControl(deps: AccessControlDeps) {
  const { db, queue, hub, settings } = deps
  const projects = createProjects(db, settings)
  const attendees = createAttendees(db, (id) => projects.name(id))
  const cvent = createCvent(db, attendees)
  const gateways = createGateways(db, { timeoutMs: deps.gatewayTimeoutSeconds * 1000, projectName: (id) => projects.name(id) })
  const decisions = createDecisions(db, { attendees, gateways, projects })
  const alerts = createAlerts(db)
  /** Gateways known to be offline, so the sweep reports each transition once. */
  const offline = new Set<string>(alerts.openSubjects('gateway_offline'))
  let storeFault: { since: number; message: string } | null = null

  const emitAlert = (a: AlertView | undefined): void => {
    if (a) hub.emit('alert:changed', a)
  }
  const bursts = createBurstAlerts({ queue, alerts, emit: emitAlert })

  const handlers: EndpointHandlers = {
    'mqtt-gateway-status': (payload, ctx) => {
      const change = gateways.applyStatus(payload, ctx.receivedAt)
      const raised: Array<AlertView | undefined> = []
      if (!change.ignored) {
        const reportsOffline = payload.status.toLowerCase() === 'offline'
        if (reportsOffline) {
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
      } else {
        // An older report changes nothing but proves the gateway is alive.
        if (offline.has(payload.gateway_id) && gateways.gateway(payload.gateway_id)?.health !== 'offline') {
          offline.delete(payload.gateway_id)
          raised.push(alerts.resolve('gateway_offline', payload.gateway_id, ctx.receivedAt))
        }
      }
      const view = gateways.gateway(payload.gateway_id)
      return {
        status: 200,
        body: { success: true, message: 'Status updated' },
        reason: change.ignored ? 'older than the status already applied; ignored' : null,
        after: () => {
          if (view) hub.emit('gateway:changed', view)
          raised.forEach(emitAlert)
        },
      }
    },

    'access-event': (payload, ctx) => {
      // A failure here fails this scan alone (its savepoint rolls back) and the receiver answers 503.
      const { view, response, retry, reader, newReader } = decisions.decide(payload, ctx.receivedAt)
      // The desk moves a reader's last scan from the decision itself; views are rebuilt (costly,
      // on the hot path) only when something else changed: a new reader, a gateway coming back.
      const gatewayName = retry || reader.gateway_id === null ? undefined : gateways.nameOf(reader.gateway_id)
      const gatewayView = gatewayName !== undefined && offline.has(gatewayName) ? gateways.gatewayOfReader(reader) : undefined
      const readerView = retry || !newReader ? undefined : gateways.readerView(gateways.reader(reader.reader_id)!)
      // A scan through a gateway that had fallen silent proves it is back: the cause has cleared.
      const back = gatewayView && gatewayView.health !== 'offline' ? gatewayView.gateway_id : null
      const resolved = back === null ? undefined : alerts.resolve('gateway_offline', back, ctx.receivedAt)
      return {
        status: 200,
        body: response,
        reason: retry ? `${view.reason} (retry of decision ${view.id})` : view.reason,
        after: () => {
          if (retry) return
          if (back !== null) offline.delete(back)
          hub.emit('access:decided', view)
          if (gatewayView) hub.emit('gateway:changed', gatewayView)
          if (readerView) hub.emit('reader:changed', readerView)
          emitAlert(resolved)
        },
      }
    },

    cvent: (payload, ctx) => {
      const result = cvent.apply(projects.cventId(), payload, ctx.receivedAt)
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
      }
    },

    'attendee-sync': (payload) => {
      const projectId = projects.ensure(payload.team_slug, payload.project_slug)
      const results = attendees.sync(projectId, payload)
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
    },
  }

  /** Marks gateways that fell silent as offline (and raises their alert); updates burst alerts and ends quiet ones. */
  async function sweep(now = Date.now()): Promise<void> {
    // Burst alerts are rewritten here, once a sweep: a flood is one update a second, not one per request.
    await bursts.step(now).catch(() => undefined)
    const silent = gateways.silent(now).filter((g) => !offline.has(g.gateway_id))
    if (silent.length === 0) return
    const changes = await queue.enqueue(() => {
      const out: Array<{ alert?: AlertView; gateway?: string }> = []
      // Re-read inside the write: a report committed ahead of it in this batch means the gateway is back.
      const still = new Set(gateways.silent(now).map((g) => g.gateway_id))
      for (const g of silent) {
        if (!still.has(g.gateway_id)) continue
        const secs = Math.round((now - g.last_seen) / 1000)
        out.push({
          alert: alerts.raise('gateway_offline', g.gateway_id, `Gateway ${g.gateway_id} silent for ${secs} s`, now),
          gateway: g.gateway_id,
        })
      }
      return out
    })
    for (const c of changes) {
      if (c.gateway) {
        offline.add(c.gateway)
        const view = gateways.gateway(c.gateway, now)
        if (view) hub.emit('gateway:changed', view)
      }
      emitAlert(c.alert)
    }
  }

  /** Counts a refusal of `endpoint` (its path) from `sourceIp`: one alert per endpoint and kind sums up a burst. */
  function refused(kind: RefusalKind, sourceIp: string, endpoint: string): void {
    bursts.refused(kind, sourceIp, endpoint)
  }

  /** The store refused a commit: raise a critical alert (held in memory until it can be written). */
  function storeFailed(err: unknown): void {
    if (storeFault) return
    const code = errorCode(err)
    // A file that was read-only when the station opened it stays read-only for this connection.
    const hint = code.startsWith('SQLITE_READONLY')
      ? ' If the database file was read-only when the station started, restart the station once its permissions are fixed.'
      : ''
    const message = `The store failed: ${err instanceof Error ? err.message : String(err)}. Requests get 503 and scans are denied until it recovers.${hint}`
    storeFault = { since: Date.now(), message }
    hub.emit('alert:changed', {
      id: 0,
      kind: 'store_failure',
      severity: 'critical',
      subject: 'store',
      message,
      raised_at: new Date(storeFault.since).toISOString(),
      resolved_at: null,
      acknowledged_at: null,
      acknowledged_by: null,
      count: null,
      top_sources: null,
    })
  }

  /** A commit went through: if the store had failed, record the (now resolved) alert. */
  function storeRecovered(): void {
    if (!storeFault) return
    const fault = storeFault
    storeFault = null
    queue
      .enqueue(() => alerts.record('store_failure', 'store', fault.message, fault.since, Date.now()))
      .then(emitAlert, () => {
        storeFault ??= fault
      })
  }

  return {
    handlers,
    sweep,
    refused,
    storeFailed,
    storeRecovered,
    storeFault: () => storeFault,
    projects,
    attendees,
    gateways,
    decisions,
    alerts,
  }
}
