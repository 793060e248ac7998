// The station: store, secrets, allowlists, access rules, live hub and receiver, built from
// explicit dependencies and returned as one handle with close(). Plain Node: never imports electron.
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { openDb, type Db } from './store/db'
import { createCommitQueue, type CommitQueue } from './store/commit-queue'
import { createWebhookLogStore, type WebhookLogStore } from './store/webhook-log'
import { createAllowlistStore, type AllowlistStore } from './store/allowlist'
import { createSettingsStore, type SettingsStore } from './store/settings'
import { startCheckpointer } from './store/checkpointer'
import { markRunning, markStopped, reportStoreCheck, startStoreCheck, type StoreCheck } from './store/startup-check'
import { createSecretStore, type Sealer, type SecretStore } from './secrets'
import { createSourceGuard } from './receiver/source-guard'
import { buildReceiver, DEFAULT_BODY_LIMIT, type ReceiverTimeouts } from './receiver/app'
import { createListeners, type Bound } from './receiver/listeners'
import { createReplayGuard, type ReplayGuard } from './receiver/replay-guard'
import { createReceiverSettings, type ReceiverSettings } from './store/receiver-settings'
import { createRetention, type Retention } from './store/retention'
import type { CertificateInfo } from './tls/certificate'
import { endpointFromPath, type EndpointName } from '../../shared/webhooks'
import { createHub, type Hub } from './hub'
import { readConfig, type StationConfig } from './config'
import { createAccessControl, type AccessControl } from './access/control'
import type { StationEvents } from '../../shared/events'

export const DB_FILE = 'gatehouse.db'

export interface CoreOptions {
  dataDir: string
  env?: NodeJS.ProcessEnv
  /** Overrides of what the environment says. */
  config?: Partial<StationConfig>
  sealer?: Sealer
  nativeBinding?: string
  /** Busy timeout of the connection (ms): short in the station, longer in the CLI. */
  busyTimeoutMs?: number
}

export interface StationOptions extends CoreOptions {
  /** How often the station notices changes made by other processes (the CLI). */
  watchIntervalMs?: number
  /** How often gateways are checked for silence. */
  sweepIntervalMs?: number
  timeouts?: Partial<ReceiverTimeouts>
  /** How often retention looks for rows to prune when none were due (a backlog goes in quick batches). */
  retentionIntervalMs?: number
}

/** The store and the rules without a listener: what the CLI opens while a station may be running. */
export interface Core {
  dataDir: string
  config: StationConfig
  db: Db
  queue: CommitQueue
  hub: Hub<StationEvents>
  log: WebhookLogStore
  allowlist: AllowlistStore
  settings: SettingsStore
  secrets: SecretStore
  access: AccessControl
  receiverSettings: ReceiverSettings
  retention: Retention
  close(): void
}

export interface Station extends Omit<Core, 'close'> {
  receiver: FastifyInstance
  /** The store's check at start (on a worker thread): quick_check, or integrity_check after an unclean shutdown. */
  storeCheck: Promise<StoreCheck>
  /** Re-reads allowlists (after a change made through this station). */
  reloadAllowlist(): void
  listen(host: string, port: number): Promise<{ host: string; port: number }>
  /**
   * Starts the receiver as configured: plain HTTP unless switched off (setting, or `http: false`
   * for this run), HTTPS unless `httpsPort` is null. Refuses to start with neither. With
   * `httpsOptional`, an HTTPS port already in use is reported in `httpsError` instead of thrown
   * (while plain HTTP serves).
   */
  start(options: { host: string; httpPort: number; httpsPort: number | null; http?: boolean; httpsOptional?: boolean }): Promise<{
    http: Bound | null
    https: Bound | null
    httpsError: string | null
  }>
  /** Serves the same receiver over HTTPS (a certificate is generated at first start). */
  listenHttps(host: string, port: number): Promise<Bound>
  /** Where the receiver listens now. */
  bound(): { http: Bound | null; https: Bound | null }
  /** The HTTPS certificate in use, null while HTTPS is not listening. */
  certificate(): CertificateInfo | null
  replay: ReplayGuard
  /** Re-reads the receiver settings (replay guards, plain HTTP) after a change made through this station. */
  reloadSettings(): Promise<void>
  close(): Promise<void>
}

export function openCore(options: CoreOptions): Core {
  const env = options.env ?? process.env
  const config = { ...readConfig(env), ...options.config }
  const db = openDb(join(options.dataDir, DB_FILE), { busyTimeoutMs: options.busyTimeoutMs ?? 5000, nativeBinding: options.nativeBinding })
  const hub = createHub<StationEvents>()
  const settings = createSettingsStore(db)
  const log = createWebhookLogStore(db)
  const allowlist = createAllowlistStore(db)
  const secrets = createSecretStore({ dataDir: options.dataDir, env, sealer: options.sealer })
  secrets.load()
  let access: AccessControl | undefined
  const queue = createCommitQueue(db, {
    onFailure: (err) => access?.storeFailed(err),
    onSuccess: () => access?.storeRecovered(),
  })
  access = createAccessControl({ db, queue, hub, settings, gatewayTimeoutSeconds: config.gatewayTimeoutSeconds })
  const receiverSettings = createReceiverSettings(settings)
  const retention = createRetention(db, { days: config.retentionDays, maxMb: config.storeMaxMb })
  return {
    dataDir: options.dataDir,
    config,
    db,
    queue,
    hub,
    log,
    allowlist,
    settings,
    secrets,
    access,
    receiverSettings,
    retention,
    close() {
      queue.flush()
      db.close()
    },
  }
}

export async function createStation(options: StationOptions): Promise<Station> {
  // A short busy timeout: the event loop must never sit waiting on another process's lock.
  const core = openCore({ busyTimeoutMs: 100, ...options })
  const { db, queue, hub, log, allowlist, secrets, config } = core
  const control = core.access
  const { uncleanShutdown } = markRunning(options.dataDir)
  const check = startStoreCheck(join(options.dataDir, DB_FILE), uncleanShutdown, options.nativeBinding)
  const storeCheck = check.result.then(async (result) => {
    await reportStoreCheck(result, { queue, alerts: control.alerts, hub })
    return result
  })
  const checkpointer = startCheckpointer(db, { nativeBinding: options.nativeBinding })
  const guard = createSourceGuard()
  guard.load(allowlist.all())
  const { receiverSettings, retention } = core
  const replay = createReplayGuard()

  const receiver = buildReceiver({
    queue,
    log,
    keys: (endpoint) => secrets.keys(endpoint),
    guard,
    replay,
    handlers: control.handlers,
    rateLimitPerMinute: config.rateLimitPerMinute,
    bodyLimits: {
      'mqtt-gateway-status': DEFAULT_BODY_LIMIT,
      'access-event': DEFAULT_BODY_LIMIT,
      cvent: DEFAULT_BODY_LIMIT,
      'attendee-sync': config.syncBodyLimitBytes,
    },
    onLogged: (record) => hub.emit('log:entry', record),
    onRefused: (kind, ip) => control.refused(kind, ip),
    onStoreFailure: (err) => control.storeFailed(err),
    timeouts: options.timeouts,
  })

  const reloadAllowlist = (): void => guard.load(allowlist.all())

  const listeners = createListeners(receiver, options.dataDir)
  let httpForcedOff = false
  /** Bodies accepted under the guard are in the log: remember them again after a restart. */
  const rememberAccepted = (endpoints: EndpointName[], now = Date.now()): void => {
    if (endpoints.length === 0) return
    const guards = replay.config()
    const longest = Math.max(...endpoints.map((e) => guards[e].window_seconds)) * 1000
    for (const row of log.digestsSince(now - 2 * longest)) {
      const e = endpointFromPath(row.endpoint)
      if (e && endpoints.includes(e)) replay.remember(e, row.body_sha256, row.received_at, row.sent_at)
    }
  }
  rememberAccepted(replay.configure(receiverSettings.replayGuards()))
  let settingsSeen = JSON.stringify([replay.config(), receiverSettings.httpEnabled()])
  const reloadSettings = async (): Promise<void> => {
    rememberAccepted(replay.configure(receiverSettings.replayGuards()))
    // Plain HTTP is only closed while HTTPS listens: the station never goes deaf by a setting.
    const httpWanted = !httpForcedOff && (receiverSettings.httpEnabled() || listeners.bound().https === null)
    await listeners.setHttpEnabled(httpWanted)
    const now = JSON.stringify([replay.config(), receiverSettings.httpEnabled()])
    if (now !== settingsSeen) {
      settingsSeen = now
      hub.emit('config:changed', { what: 'settings' })
    }
  }

  // Changes made by other processes (the CLI) take effect within a second: PRAGMA data_version
  // moves when another connection commits; the secrets file is re-read when it changes.
  let dataVersion = db.pragma('data_version', { simple: true }) as number
  // Open alerts already acknowledged, as the desk last heard of them.
  const acknowledged = new Set<number>()
  const noteAck = (a: { id: number; acknowledged_at: string | null; resolved_at: string | null }): void => {
    if (a.acknowledged_at !== null && a.resolved_at === null) acknowledged.add(a.id)
    else if (a.resolved_at !== null) acknowledged.delete(a.id)
  }
  for (const a of control.alerts.open()) noteAck(a)
  hub.on('alert:changed', noteAck)
  const watch = setInterval(() => {
    try {
      const hits = guard.takeHits()
      if (hits.size > 0) void queue.enqueue(() => allowlist.recordHits(hits)).catch(() => undefined)
      const v = db.pragma('data_version', { simple: true }) as number
      if (v !== dataVersion) {
        dataVersion = v
        reloadAllowlist()
        control.projects.invalidate()
        // An alert acknowledged from the CLI reaches the desk like one acknowledged there.
        for (const alert of control.alerts.open()) {
          if (alert.acknowledged_at !== null && !acknowledged.has(alert.id)) hub.emit('alert:changed', alert)
        }
        hub.emit('config:changed', { what: 'allowlist' })
        void reloadSettings().catch(() => undefined)
      }
      if (secrets.reloadIfChanged()) hub.emit('config:changed', { what: 'secrets' })
      void listeners.reloadCertificateIfChanged().then(
        (changed) => changed && hub.emit('config:changed', { what: 'settings' }),
        () => undefined,
      )
    } catch {
      // A store fault here is reported by the commit path; keep watching.
    }
  }, options.watchIntervalMs ?? 500)
  watch.unref()

  const sweep = setInterval(() => void control.sweep().catch(() => undefined), options.sweepIntervalMs ?? 1000)
  sweep.unref()

  // Retention rides the commit queue one small batch at a time; a backlog drains in quick steps.
  const retentionEvery = options.retentionIntervalMs ?? 60_000
  let pruneTimer: NodeJS.Timeout | undefined
  const prune = (): void => {
    queue
      .enqueue(() => retention.step())
      .then(
        (r) => schedulePrune(r.more ? 20 : retentionEvery),
        () => schedulePrune(retentionEvery),
      )
  }
  const schedulePrune = (ms: number): void => {
    if (closed) return
    pruneTimer = setTimeout(prune, ms)
    pruneTimer.unref()
  }

  let closed = false
  schedulePrune(Math.min(retentionEvery, 5000))
  return {
    ...core,
    receiver,
    storeCheck,
    reloadAllowlist,
    listen: async (host, port) => (await listeners.startHttp(host, port, true))!,
    async start({ host, httpPort, httpsPort, http = true, httpsOptional = false }) {
      httpForcedOff = !http
      if (!http && httpsPort === null) throw new Error('plain HTTP is off and HTTPS has no port: nothing would receive webhooks')
      let https: Bound | null = null
      let httpsError: string | null = null
      if (httpsPort !== null) {
        try {
          https = await listeners.startHttps(host, httpsPort)
        } catch (err) {
          if (!(httpsOptional && http && (err as NodeJS.ErrnoException).code === 'EADDRINUSE')) throw err
          httpsError = `HTTPS not started: port ${httpsPort} is in use`
        }
      }
      // As in reloadSettings: the setting alone never leaves the station without a listener.
      const plain = http && (receiverSettings.httpEnabled() || https === null)
      return { http: await listeners.startHttp(host, httpPort, plain), https, httpsError }
    },
    listenHttps: (host, port) => listeners.startHttps(host, port),
    bound: () => listeners.bound(),
    certificate: () => listeners.certificate(),
    replay,
    reloadSettings,
    async close() {
      if (closed) return
      closed = true
      clearInterval(watch)
      clearInterval(sweep)
      clearTimeout(pruneTimer)
      await listeners.close()
      check.cancel()
      await receiver.close()
      await checkpointer.stop()
      core.close()
      markStopped(core.dataDir)
    },
  }
}
