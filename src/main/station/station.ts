// The station: the core (store, secrets, access rules, live hub) plus the receiver and its
// listeners and the background jobs, built from explicit dependencies and returned as one handle
// with close(). Plain Node: never imports electron.
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { startCheckpointer } from './store/checkpointer'
import { markRunning, markStopped, reportStoreCheck, startStoreCheck, type StoreCheck } from './store/startup-check'
import { scheduleRetention } from './store/retention-schedule'
import { lockDataDir } from './store/station-lock'
import { watchSpace } from './store/space-watch'
import { createRefusalLog, type RefusalLogOptions } from './receiver/refusal-log'
import { createLargeBodySlots } from './receiver/body-reader'
import { createJsonWorker } from './receiver/json-worker'
import { createSourceGuard } from './receiver/source-guard'
import { buildReceiver, DEFAULT_BODY_LIMIT, type ReceiverTimeouts } from './receiver/app'
import { createListeners, type Bound } from './receiver/listeners'
import { createListenerPolicy, type StartOptions, type Started } from './receiver/listener-policy'
import { createReplayGuard, type ReplayGuard } from './receiver/replay-guard'
import { rememberAccepted } from './receiver/replay-restore'
import type { CertificateInfo } from './tls/certificate'
import { watchOtherProcesses } from './cross-process-watch'
import { DB_FILE, openCore, type Core, type CoreOptions } from './core'
import { endpointPath } from '../../shared/webhooks'
import { createNotify, type Notify, type NotifyOptions } from './notify/notify'
import { changeRecordWrites } from './store/change-records'

export { DB_FILE, openCore, type Core, type CoreOptions } from './core'

/** Attendees' last-scan marks written per tick (twice a second): at most ~300 random pages a second. */
const ATTENDEE_MARKS_PER_TICK = 150

export interface StationOptions extends CoreOptions {
  /** How often the station notices changes made by other processes (the CLI). */
  watchIntervalMs?: number
  /** How often gateways are checked for silence. */
  sweepIntervalMs?: number
  timeouts?: Partial<ReceiverTimeouts>
  /** How often retention looks for rows to prune when none were due (a backlog goes in quick batches). */
  retentionIntervalMs?: number
  /** How often the disk's free space and the store's size are checked (store_space_low). */
  spaceCheckIntervalMs?: number
  /** How refusals are logged (one by one, then aggregated); see receiver/refusal-log.ts. */
  refusalLog?: RefusalLogOptions
  /** How long a write waits for another process's lock before it fails with 503 (ms). */
  lockWaitMs?: number
  /** Large bodies (over 1 MiB) read at the same time. */
  largeBodySlots?: number
  /** Notification delivery: retry schedule, timeouts, trust store (tests shorten them). */
  notify?: NotifyOptions
}

export interface Station extends Omit<Core, 'close'> {
  receiver: FastifyInstance
  /** The store's check at start (on a worker thread): quick_check, or integrity_check after an unclean shutdown. */
  storeCheck: Promise<StoreCheck>
  /** Re-reads allowlists (after a change made through this station). */
  reloadAllowlist(): void
  listen(host: string, port: number): Promise<{ host: string; port: number }>
  /** Starts the receiver as configured (see receiver/listener-policy.ts). */
  start(options: StartOptions): Promise<Started>
  /** Serves the same receiver over HTTPS (a certificate is generated at first start). */
  listenHttps(host: string, port: number): Promise<Bound>
  /** Where the receiver listens now. */
  bound(): { http: Bound | null; https: Bound | null }
  /** The HTTPS certificate in use, null while HTTPS is not listening. */
  certificate(): CertificateInfo | null
  replay: ReplayGuard
  /** Bodies over 1 MiB being read right now (at most `largeBodySlots`). */
  largeBodiesReading(): number
  /** Re-reads the receiver settings (replay guards, plain HTTP) after a change made through this station. */
  reloadSettings(): Promise<void>
  /** Notification targets and the sender delivering alert changes to them. */
  notify: Notify
  close(): Promise<void>
}

/**
 * Builds the station; a failure to open the store rejects (the data directory is left as it was),
 * and so does a data directory another station has open (DataDirInUseError, naming its pid).
 */
export function createStation(options: StationOptions): Promise<Station> {
  return new Promise((resolve) => resolve(buildStation(options)))
}

function buildStation(options: StationOptions): Station {
  const lock = lockDataDir(options.dataDir, { nativeBinding: options.nativeBinding })
  try {
    return buildLockedStation(options, () => lock.release())
  } catch (err) {
    lock.release()
    throw err
  }
}

function buildLockedStation(options: StationOptions, releaseLock: () => void): Station {
  // No busy timeout: the event loop never sits waiting on another process's lock (the commit queue
  // retries a locked batch a few milliseconds later instead).
  // A desk change's first write carries its audit record (store/change-records.ts).
  const core = openCore({ busyTimeoutMs: 0, lockWaitMs: options.lockWaitMs, wrapWrite: changeRecordWrites, ...options })
  const { db, queue, hub, log, allowlist, secrets, config, receiverSettings, retention } = core
  const control = core.access
  const { uncleanShutdown } = markRunning(options.dataDir)
  const check = startStoreCheck(join(options.dataDir, DB_FILE), uncleanShutdown, options.nativeBinding)
  const storeCheck = check.result.then(async (result) => {
    await reportStoreCheck(result, { queue, alerts: control.alerts, faults: control.faults, hub })
    return result
  })
  const checkpointer = startCheckpointer(db, { nativeBinding: options.nativeBinding })
  const guard = createSourceGuard()
  guard.load(allowlist.all())
  const replay = createReplayGuard()
  const largeBodySlots = createLargeBodySlots(options.largeBodySlots)
  const jsonWorker = createJsonWorker()
  // A sync the last run never answered (a crash between its slices) is undone before anything is received.
  void control.undoUnfinishedSyncs().then(
    (n) => n > 0 && console.error(`gatehouse: undid ${n} attendee-sync(s) the last run left unfinished`),
    (err: unknown) => console.error('gatehouse: could not undo an unfinished attendee-sync yet', err),
  )
  // Readers' last scan, gateways' last seen and attendees' last scan trail their scans (gateways.ts,
  // attendee-scans.ts): a crash may have lost what memory held, which the decisions still have.
  void queue
    .enqueue(() => {
      control.gateways.rebuildMarks()
      control.attendeeScans.rebuild()
    })
    .catch(() => undefined)
  const refusals = createRefusalLog({ queue, log, onLogged: (record) => hub.emit('log:entry', record), options: options.refusalLog })

  const receiver = buildReceiver({
    queue,
    log,
    keys: (endpoint) => secrets.keys(endpoint),
    guard,
    replay,
    handlers: control.handlers,
    applySync: control.applySync,
    attendeeWriters: control.attendeeWriters,
    parseLarge: (raw) => jsonWorker.parse(raw),
    rateLimitPerMinute: config.rateLimitPerMinute,
    refusalRateLimitPerMinute: config.refusalRateLimitPerMinute,
    refusals,
    largeBodySlots,
    bodyLimits: {
      'mqtt-gateway-status': DEFAULT_BODY_LIMIT,
      'access-event': DEFAULT_BODY_LIMIT,
      cvent: DEFAULT_BODY_LIMIT,
      'attendee-sync': config.syncBodyLimitBytes,
    },
    onLogged: (record) => {
      hub.emit('log:entry', record)
      if (record.status < 400) control.accepted(record.source_ip)
    },
    onRefused: (kind, ip, endpoint) => control.refused(kind, ip, endpoint),
    onStoreFailure: (err) => control.storeFailed(err),
    onAnswered: (status, ip, endpoint, reason) => control.answered(status, ip, endpoint, reason),
    timeouts: options.timeouts,
  })

  const reloadAllowlist = (): void => guard.load(allowlist.all())
  const listeners = createListeners(receiver, options.dataDir)
  const policy = createListenerPolicy(listeners, receiverSettings)

  rememberAccepted(replay, log, replay.configure(receiverSettings.replayGuards()))
  // Status bodies accepted within the gateway timeout before a restart are still repeats after it.
  const statusPath = endpointPath('mqtt-gateway-status')
  for (const row of log.digestsSince(Date.now() - config.gatewayTimeoutSeconds * 1000)) {
    if (row.endpoint === statusPath) control.rememberStatusBody(row.body_sha256, row.received_at)
  }
  // Conflicts found when the store was upgraded are on the desk from the first minute.
  void control.reconcileConflictAlerts().catch(() => undefined)
  // What this station uses, for the CLI to follow (its own environment may say otherwise).
  const publishInUse = (): Promise<void> => queue.enqueue(() => core.runtime.publish())
  void publishInUse().catch(() => undefined)
  let settingsSeen = JSON.stringify([replay.config(), receiverSettings.httpEnabled()])
  const reloadSettings = async (): Promise<void> => {
    // A live setting (the gateway timeout) stored by the CLI or the desk applies now.
    if (core.runtime.reload()) {
      await publishInUse().catch(() => undefined)
      hub.emit('config:changed', { what: 'settings' })
    }
    rememberAccepted(replay, log, replay.configure(receiverSettings.replayGuards()))
    // Status bodies accepted within the gateway timeout before a restart are still repeats after it.
    const statusPath = endpointPath('mqtt-gateway-status')
    for (const row of log.digestsSince(Date.now() - config.gatewayTimeoutSeconds * 1000)) {
      if (row.endpoint === statusPath) control.rememberStatusBody(row.body_sha256, row.received_at)
    }
    // Conflicts found when the store was upgraded are on the desk from the first minute.
    void control.reconcileConflictAlerts().catch(() => undefined)
    await policy.reconcile()
    const now = JSON.stringify([replay.config(), receiverSettings.httpEnabled()])
    if (now !== settingsSeen) {
      settingsSeen = now
      hub.emit('config:changed', { what: 'settings' })
    }
  }

  const stopWatch = watchOtherProcesses(
    { db, hub, access: control, secrets, listeners, reloadAllowlist, reloadSettings },
    options.watchIntervalMs ?? 500,
  )
  // Allowlist hits and the marks scans leave (readers, gateways, attendees) are kept in memory on
  // the hot path and added to the store twice a second; attendees' a few hundred at a time.
  const writeMarks = (all = false): void => {
    const hits = guard.takeHits()
    if (hits.size > 0) void queue.enqueue(() => allowlist.recordHits(hits)).catch(() => undefined)
    if (control.gateways.hasMarks()) void queue.enqueue(() => control.gateways.flushMarks()).catch(() => undefined)
    const scans = control.attendeeScans
    if (scans.pending() > 0)
      void queue.enqueue(() => scans.flush(all ? Number.MAX_SAFE_INTEGER : ATTENDEE_MARKS_PER_TICK)).catch(() => undefined)
  }
  const marksTimer = setInterval(() => writeMarks(), options.watchIntervalMs ?? 500)
  marksTimer.unref()
  const sweep = setInterval(() => void control.sweep().catch(() => undefined), options.sweepIntervalMs ?? 1000)
  sweep.unref()
  // Zones whose reset hour has come start again from nobody inside; VIP-arrival notices age out.
  const venueSweep = setInterval(() => void core.venue.sweep().catch(() => undefined), 30_000)
  venueSweep.unref()
  const stopRetention = scheduleRetention(queue, retention, options.retentionIntervalMs ?? 60_000)
  const stopSpaceWatch = watchSpace(
    {
      dataDir: options.dataDir,
      usedBytes: () => retention.usedBytes(),
      limits: { minFreeBytes: config.storeMinFreeMb * 1024 * 1024, budgetBytes: config.storeMaxMb * 1024 * 1024 },
      queue,
      alerts: control.alerts,
      hub,
      onChange: (low) => refusals.setFrugal(low),
    },
    options.spaceCheckIntervalMs ?? 30_000,
  )
  const notify = createNotify({ db, queue, hub, alerts: control.alerts, dataDir: options.dataDir, sealer: options.sealer }, options.notify)
  notify.startSender()

  let closed = false
  return {
    ...core,
    receiver,
    storeCheck,
    reloadAllowlist,
    listen: async (host, port) => (await listeners.startHttp(host, port, true))!,
    start: (startOptions) => policy.start(startOptions),
    listenHttps: (host, port) => listeners.startHttps(host, port),
    bound: () => listeners.bound(),
    certificate: () => listeners.certificate(),
    replay,
    largeBodiesReading: () => largeBodySlots.inUse(),
    reloadSettings,
    notify,
    async close() {
      if (closed) return
      closed = true
      stopWatch()
      clearInterval(marksTimer)
      clearInterval(sweep)
      clearInterval(venueSweep)
      stopRetention()
      stopSpaceWatch()
      // Deliveries in flight are cut and stay due: the next start sends them (same webhook-id).
      await notify.close()
      await listeners.close()
      check.cancel()
      await receiver.close()
      writeMarks(true)
      refusals.close()
      await checkpointer.stop()
      await jsonWorker.close()
      core.close()
      markStopped(core.dataDir)
      releaseLock()
    },
  }
}
