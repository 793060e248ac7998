// The station: store, secrets, allowlists, access rules, live hub and receiver, built from
// explicit dependencies and returned as one handle with close(). Plain Node: never imports electron.
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { openDb, type Db } from './store/db'
import { createCommitQueue, type CommitQueue } from './store/commit-queue'
import { createWebhookLogStore, type WebhookLogStore } from './store/webhook-log'
import { createAllowlistStore, type AllowlistStore } from './store/allowlist'
import { createSettingsStore, type SettingsStore } from './store/settings'
import { markRunning, markStopped, reportStoreCheck, startStoreCheck, type StoreCheck } from './store/startup-check'
import { createSecretStore, type Sealer, type SecretStore } from './secrets'
import { createSourceGuard } from './receiver/source-guard'
import { buildReceiver, DEFAULT_BODY_LIMIT, type ReceiverTimeouts } from './receiver/app'
import { listen } from './receiver/server'
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
  close(): void
}

export interface Station extends Omit<Core, 'close'> {
  receiver: FastifyInstance
  /** The store's check at start (on a worker thread): quick_check, or integrity_check after an unclean shutdown. */
  storeCheck: Promise<StoreCheck>
  /** Re-reads allowlists (after a change made through this station). */
  reloadAllowlist(): void
  listen(host: string, port: number): Promise<{ host: string; port: number }>
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
  const guard = createSourceGuard()
  guard.load(allowlist.all())

  const receiver = buildReceiver({
    queue,
    log,
    keys: (endpoint) => secrets.keys(endpoint),
    guard,
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

  // Changes made by other processes (the CLI) take effect within a second: PRAGMA data_version
  // moves when another connection commits; the secrets file is re-read when it changes.
  let dataVersion = db.pragma('data_version', { simple: true }) as number
  const watch = setInterval(() => {
    try {
      const hits = guard.takeHits()
      if (hits.size > 0) void queue.enqueue(() => allowlist.recordHits(hits)).catch(() => undefined)
      const v = db.pragma('data_version', { simple: true }) as number
      if (v !== dataVersion) {
        dataVersion = v
        reloadAllowlist()
        hub.emit('config:changed', { what: 'allowlist' })
      }
      if (secrets.reloadIfChanged()) hub.emit('config:changed', { what: 'secrets' })
    } catch {
      // A store fault here is reported by the commit path; keep watching.
    }
  }, options.watchIntervalMs ?? 500)
  watch.unref()

  const sweep = setInterval(() => void control.sweep().catch(() => undefined), options.sweepIntervalMs ?? 1000)
  sweep.unref()

  let closed = false
  return {
    ...core,
    receiver,
    storeCheck,
    reloadAllowlist,
    listen: (host, port) => listen(receiver, host, port),
    async close() {
      if (closed) return
      closed = true
      clearInterval(watch)
      clearInterval(sweep)
      check.cancel()
      await receiver.close()
      core.close()
      markStopped(core.dataDir)
    },
  }
}
