// What the four endpoints do: the endpoint handlers (run inside the write transaction), the
// health sweep, and alert bookkeeping. Plain Node; the desk only displays what this decides.
import type { Db } from '../store/db'
import type { CommitQueue } from '../store/commit-queue'
import type { SettingsStore } from '../store/settings'
import type { Hub } from '../hub'
import type { EndpointHandlers, RefusalKind } from '../receiver/app'
import type { StationEvents } from '../../../shared/events'
import type { AlertView } from '../../../shared/domain'
import { createProjects } from './projects'
import { createAttendees } from './attendees'
import { createAttendeeScans } from './attendee-scans'
import { createCvent } from './cvent'
import { createGateways } from './gateways'
import { createDecisions } from './decisions'
import { createAlerts } from './alerts'
import { createBurstAlerts } from './burst-alerts'
import { createRejectionAlerts } from './rejection-alerts'
import { createFaultAlerts } from './fault-alerts'
import { createReaderSilence } from './reader-silence'
import { createAlertActions } from './alert-actions'
import { createGatewayRefused } from './gateway-refused'
import { createAllowlistPreview } from './allowlist-preview'
import { createCredentialConflicts, ConflictResolutionError } from './credential-conflicts'
import { createClockWatch } from './clock-watch'
import { createStatusRepeats } from './status-repeats'
import { createConflictAlerts } from './conflict-alerts'
import { createHandlers } from './handlers'
import { createZones } from '../venue/zones'
import { createWatchList } from '../venue/watch-list'
import { createLockdowns } from '../venue/lockdowns'
import { createOverrides } from '../venue/overrides'
import { createVenueAlerts } from '../venue/venue-alerts'
import { createDecisionRules } from './decision-rules'
import { createZoneViews } from '../venue/zone-view'
import { createSyncJournal } from './sync-journal'
import { createOneAtATime } from './one-at-a-time'
import { createSyncApplier } from './sync-applier'

export interface AccessControlDeps {
  db: Db
  queue: CommitQueue
  hub: Hub<StationEvents>
  settings: SettingsStore
  /** Read each time it is needed: the station applies a stored change without a restart. */
  gatewayTimeoutSeconds: number | (() => number)
  clockSkewSeconds: number
  retryWindowSeconds: number
  /** Rows per slice of an attendee-sync (DEFAULT_SYNC_SLICE_ROWS when absent). */
  syncSliceRows?: number
  readerSilentSeconds: number
  rejectionsBurstThreshold: number
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
  const skewMs = deps.clockSkewSeconds * 1000
  const timeoutSeconds = deps.gatewayTimeoutSeconds
  const timeoutMs = typeof timeoutSeconds === 'number' ? () => timeoutSeconds * 1000 : () => timeoutSeconds() * 1000
  const projects = createProjects(db, settings)
  const projectName = (id: number | null): string | null => projects.name(id)
  const conflicts = createCredentialConflicts(db, projectName)
  const attendeeScans = createAttendeeScans(db, { settings, onUndo: queue.onUndo, skewMs })
  const attendees = createAttendees(db, {
    projectName,
    isConflicted: (p, c) => conflicts.isOpen(p, c),
    lastScans: (rows) => attendeeScans.lastScans(rows),
  })
  const cvent = createCvent(db, { attendees, conflicts, currentProject: () => projects.cventId(), skewMs })
  const zones = createZones(db)
  const zoneName = (id: number): string | null => zones.byId(id)?.name ?? null
  const gateways = createGateways(db, { timeoutMs, skewMs, projectName, zoneName })
  const watch = createWatchList(db, (id) => {
    const a = attendees.byId(id)
    return a ? { external_id: a.external_id, name: `${a.first_name} ${a.last_name}` } : null
  })
  const lockdowns = createLockdowns(db)
  const overrides = createOverrides(db)
  const decisions = createDecisions(db, {
    attendees,
    attendeeScans,
    gateways,
    projects,
    zones,
    overrides,
    rules: (grantedSince) => createDecisionRules({ conflicts, zones, watch, lockdowns, overrides, grantedSince }),
    skewMs,
    retryWindowMs: deps.retryWindowSeconds * 1000,
    onUndo: queue.onUndo,
  })
  const alerts = createAlerts(db)
  const venueAlerts = createVenueAlerts(alerts)
  const zoneView = createZoneViews(zones, lockdowns)
  const clock = createClockWatch(alerts, skewMs)
  const repeats = createStatusRepeats(timeoutMs)
  const conflictAlerts = createConflictAlerts(alerts, conflicts, projectName)
  /** When a gateway last sent nothing but a repeat: the offline alert then says why. */
  const lastRepeat = new Map<string, number>()
  /** Gateways known to be offline, so the sweep reports each transition once. */
  const offline = new Set<string>(alerts.openSubjects('gateway_offline'))
  let storeFault: { since: number; message: string } | null = null

  const emitAlert = (a: AlertView | undefined): void => {
    if (a) hub.emit('alert:changed', a)
  }
  const bursts = createBurstAlerts({ queue, alerts, emit: emitAlert })
  const rejections = createRejectionAlerts({ queue, alerts, emit: emitAlert, options: { threshold: deps.rejectionsBurstThreshold } })
  const faults = createFaultAlerts({ alerts, queue, emit: (a) => hub.emit('alert:changed', a) })
  const silence = createReaderSilence({ queue, alerts, gateways, emit: emitAlert, quietMs: deps.readerSilentSeconds * 1000 })
  const actions = createAlertActions({ alerts, faults, queue, hub })
  const refusedGateways = createGatewayRefused({
    queue,
    alerts,
    emit: emitAlert,
    seed: createAllowlistPreview(db).knownGateways(Date.now() - 3600_000),
  })

  const handlers: EndpointHandlers = createHandlers({
    hub,
    projects,
    attendees,
    cvent,
    gateways,
    decisions,
    alerts,
    clock,
    repeats,
    conflictAlerts,
    venueAlerts,
    zoneView,
    offline,
    lastRepeat,
  })
  // Which gateway posts from which address: what gateway_refused needs to name a refused one.
  const applyStatus = handlers['mqtt-gateway-status']
  handlers['mqtt-gateway-status'] = (payload, ctx) => {
    const outcome = applyStatus(payload, ctx)
    if (outcome.status < 400) refusedGateways.learn(ctx.sourceIp, payload.gateway_id)
    return outcome
  }

  // Syncs applied in slices, one attendee writer at a time (Cvent waits for a sync, and the other way round).
  const syncJournal = createSyncJournal(db)
  const attendeeWriters = createOneAtATime()
  const syncApplier = createSyncApplier({
    queue,
    hub,
    projects,
    attendees,
    journal: syncJournal,
    attendeeWriters,
    sliceRows: deps.syncSliceRows,
  })

  /** Raises the credential-conflict alerts that open conflicts call for (after an upgrade found some). */
  async function reconcileConflictAlerts(): Promise<void> {
    const projectIds = new Set(
      conflicts
        .open()
        .map((c) => projects.find(c.project))
        .filter((id): id is number => id !== undefined),
    )
    if (projectIds.size === 0) return
    const raised = await queue.enqueue(() => [...projectIds].map((id) => conflictAlerts.update(id, Date.now())))
    raised.forEach(emitAlert)
  }

  /** Resolves a credential conflict: `keep` is the attendee (external_id) who keeps the credential, null for nobody. */
  async function resolveConflict(project: string, credential: string, keep: string | null, by: string) {
    const projectId = projects.find(project)
    if (projectId === undefined) throw new ConflictResolutionError(`No project "${project}"`)
    const { view, alert } = await queue.enqueue(() => {
      const now = Date.now()
      return { view: conflicts.resolve(projectId, credential, keep, by, now), alert: conflictAlerts.update(projectId, now) }
    })
    emitAlert(alert)
    return view
  }

  /** Marks gateways that fell silent as offline (and raises their alert); updates burst alerts and ends quiet ones. */
  async function sweep(now = Date.now()): Promise<void> {
    // Burst alerts are rewritten here, once a sweep: a flood is one update a second, not one per request.
    await bursts.step(now).catch(() => undefined)
    await rejections.step(now).catch(() => undefined)
    await silence.step(now).catch(() => undefined)
    await wakeSnoozed(now).catch(() => undefined)
    // An offline alert an operator resolved while the gateway is still silent is raised again.
    alerts.forgetResolved('gateway_offline', offline)
    const silent = gateways.silent(now).filter((g) => !offline.has(g.gateway_id))
    if (silent.length === 0) return
    const changes = await queue.enqueue(() => {
      const out: Array<{ alert?: AlertView; gateway?: string }> = []
      // Re-read inside the write: a report committed ahead of it in this batch means the gateway is back.
      const still = new Set(gateways.silent(now).map((g) => g.gateway_id))
      for (const g of silent) {
        if (!still.has(g.gateway_id)) continue
        const secs = Math.round((now - g.last_seen) / 1000)
        const repeated = lastRepeat.get(g.gateway_id)
        const why =
          repeated !== undefined && repeated > g.last_seen
            ? `Gateway ${g.gateway_id} has sent only byte-identical repeats of an earlier report for ${secs} s: repeats are not proof of life (does it put a timestamp in its reports?)`
            : `Gateway ${g.gateway_id} silent for ${secs} s`
        out.push({
          alert: alerts.raise('gateway_offline', g.gateway_id, why, now),
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

  /** Snoozes that ran out: the alerts are back in the queue (and sounded again on the desk). */
  async function wakeSnoozed(now: number): Promise<void> {
    if (!alerts.snoozeDue(now)) return
    const woken = await queue.enqueue(() => alerts.wakeSnoozed(now))
    woken.forEach(emitAlert)
  }

  /** One answered request: counted towards `rejections_burst` when refused with 400, 409, 413, 415 or 429. */
  function answered(status: number, sourceIp: string, endpoint: string, reason: string | null): void {
    rejections.answered(status, sourceIp, endpoint, reason)
  }

  /** Counts a refusal of `endpoint` (its path) from `sourceIp`: one alert per endpoint and kind sums up a burst. */
  function refused(kind: RefusalKind, sourceIp: string, endpoint: string): void {
    bursts.refused(kind, sourceIp, endpoint)
    refusedGateways.refused(kind, sourceIp, endpoint)
  }

  /** The store refused a commit: a critical alert, held in memory (with a real id) until it can be written. */
  function storeFailed(err: unknown): void {
    if (storeFault) return
    const code = errorCode(err)
    // A file that was read-only when the station opened it stays read-only for this connection.
    const hint = code.startsWith('SQLITE_READONLY')
      ? ' If the database file was read-only when the station started, restart the station once its permissions are fixed.'
      : ''
    const message = `The store failed: ${err instanceof Error ? err.message : String(err)}. Requests get 503 and scans are denied until it recovers.${hint}`
    storeFault = { since: Date.now(), message }
    faults.raise('store_failure', 'store', message, storeFault.since)
  }

  /** A commit went through: the store fault (if any) is over, and the fault alerts held are written now. */
  function storeRecovered(): void {
    if (storeFault) {
      storeFault = null
      faults.resolve('store_failure', 'store', Date.now())
    }
    faults.persist()
  }

  return {
    handlers,
    applySync: syncApplier.apply,
    attendeeWriters: <T>(job: () => Promise<T>): Promise<T> => attendeeWriters.run(job),
    /**
     * Undoes the syncs a crash cut short, at once (before anything is received) or, if the store is
     * locked right now, through the commit queue. Only the station, which holds the data
     * directory's lock, may: a CLI command beside a running station would undo a sync in progress.
     */
    undoUnfinishedSyncs(): Promise<number> {
      try {
        return Promise.resolve(db.transaction(() => syncJournal.undoUnfinished())())
      } catch {
        return queue.enqueue(() => syncJournal.undoUnfinished())
      }
    },
    reconcileConflictAlerts,
    resolveConflict,
    /** Seeds the repeat detector with a status body accepted before a restart. */
    rememberStatusBody: (digest: Buffer, at: number) => repeats.remember(digest, at),
    sweep,
    refused,
    answered,
    /** A request from `sourceIp` was accepted (logged below 400): a refused gateway is back. */
    accepted: (sourceIp: string) => refusedGateways.accepted(sourceIp),
    storeFailed,
    storeRecovered,
    storeFault: () => storeFault,
    /** Fault alerts held in memory until the store takes them (see fault-alerts.ts). */
    faults,
    /** Operators' steps on alerts (stored or held), per-kind settings. */
    alertActions: actions,
    /** Open alerts as the desk shows them: those in the store, and fault alerts not written yet. */
    openAlerts: (): AlertView[] => [...faults.views().filter((a) => a.resolved_at === null), ...alerts.open()],
    projects,
    attendees,
    /** Attendees' last scans, written behind the scans. */
    attendeeScans,
    gateways,
    decisions,
    alerts,
    conflicts,
    zones,
    watch,
    lockdowns,
    overrides,
    venueAlerts,
    zoneView,
  }
}
