// The store and the rules without a listener: what the CLI opens while a station may be running,
// and what the station builds on.
import { join } from 'node:path'
import { openDb, openReadOnlyDb, type Db } from './store/db'
import { createCommitQueue, type CommitQueue } from './store/commit-queue'
import { createWebhookLogStore, type WebhookLogStore } from './store/webhook-log'
import { createAllowlistStore, type AllowlistStore } from './store/allowlist'
import { createSettingsStore, type SettingsStore } from './store/settings'
import { createAuditLog, type AuditLog } from './store/audit-log'
import { createReceiverSettings, type ReceiverSettings } from './store/receiver-settings'
import { createRetention, type Retention } from './store/retention'
import { createSecretStore, type Sealer, type SecretStore } from './secrets'
import { createHub, type Hub } from './hub'
import { resolveSettings, type StationConfig } from './config'
import { createRuntimeSettingsStore } from './store/runtime-settings-store'
import { createRuntimeConfig, type RuntimeConfig } from './runtime-config'
import { createAccessControl, type AccessControl } from './access/control'
import type { StationEvents } from '../../shared/events'
import { createVenueAdmin, type VenueAdmin } from './venue/venue-admin'

export const DB_FILE = 'gatehouse.db'

export interface CoreOptions {
  dataDir: string
  env?: NodeJS.ProcessEnv
  /** Overrides of what the environment says. */
  config?: Partial<StationConfig>
  sealer?: Sealer
  nativeBinding?: string
  /** Busy timeout of the connection (ms): none in the station, 5 s in the CLI. */
  busyTimeoutMs?: number
  /** How long a queued write waits for another process's lock (see store/commit-queue.ts). */
  lockWaitMs?: number
  /** Rows per slice of an attendee-sync (see access/sync-applier.ts); tests make it small. */
  syncSliceRows?: number
  /**
   * The CLI's read commands: the store opened read-only (nothing created, migrated or written; an
   * empty store when there is none yet) and no secrets loaded, so they work on a directory whose
   * secrets the desk sealed.
   */
  readOnly?: boolean
  /** The CLI: use the settings a running station published it uses (see runtime-config.ts). */
  followStation?: boolean
  /**
   * Wraps every queued write (the CLI's audit record goes in the same savepoint as its change).
   * Called with the core once it is built.
   */
  wrapWrite?: (core: () => Core) => <T>(write: () => T) => () => T
}

/** Read commands never need a secret; touching one is a bug, said plainly. */
function secretsNotLoaded(): SecretStore {
  return new Proxy({} as SecretStore, {
    get: (_target, key) => () => {
      throw new Error(`read-only store: secrets are not loaded (secrets.${String(key)})`)
    },
  })
}

export interface Core {
  dataDir: string
  /** The run-time settings in use; the live ones (gateway timeout) change in place. */
  config: StationConfig
  /** Where they come from, how they are shown and stored (see runtime-config.ts). */
  runtime: RuntimeConfig
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
  /** Venue rules: zones, watch list, overrides, lockdowns (set from the desk and the CLI). */
  venue: VenueAdmin
  /** Who changed what (desk and CLI); never pruned. */
  audit: AuditLog
  close(): void
}

export function openCore(options: CoreOptions): Core {
  const env = options.env ?? process.env
  // A bad variable stops the start here, before anything is opened or created.
  resolveSettings(env)
  const file = join(options.dataDir, DB_FILE)
  const db = options.readOnly
    ? openReadOnlyDb(file, { nativeBinding: options.nativeBinding })
    : openDb(file, { busyTimeoutMs: options.busyTimeoutMs ?? 5000, nativeBinding: options.nativeBinding })
  const hub = createHub<StationEvents>()
  const settings = createSettingsStore(db)
  let runtime: RuntimeConfig
  try {
    runtime = createRuntimeConfig({
      env,
      store: createRuntimeSettingsStore(settings),
      overrides: options.config,
      followStation: options.followStation,
    })
  } catch (err) {
    db.close()
    throw err
  }
  const config = runtime.config
  let secrets: SecretStore
  if (options.readOnly) secrets = secretsNotLoaded()
  else {
    secrets = createSecretStore({ dataDir: options.dataDir, env, sealer: options.sealer })
    secrets.load()
  }
  // The queue tells access control of store faults; access control needs the queue: tie the knot late.
  const faults: { failed(err: unknown): void; recovered(): void } = { failed: () => undefined, recovered: () => undefined }
  const commits = createCommitQueue(db, {
    onFailure: (err) => faults.failed(err),
    onSuccess: () => faults.recovered(),
    // The CLI's connection waits inside SQLite (busy_timeout) already; the station's does not.
    lockWaitMs: options.lockWaitMs,
  })
  // Called only when a write runs, after the core below is built.
  const wrap = options.wrapWrite?.(() => core)
  const queue: CommitQueue = wrap ? { ...commits, enqueue: (write) => commits.enqueue(wrap(write)) } : commits
  const access = createAccessControl({
    db,
    queue,
    hub,
    settings,
    // Live: a stored change reaches the health sweep without a restart.
    gatewayTimeoutSeconds: () => config.gatewayTimeoutSeconds,
    clockSkewSeconds: config.clockSkewSeconds,
    retryWindowSeconds: config.retryWindowSeconds,
    syncSliceRows: options.syncSliceRows,
    readerSilentSeconds: config.readerSilentSeconds,
    rejectionsBurstThreshold: config.rejectionsBurstThreshold,
  })
  faults.failed = (err) => access.storeFailed(err)
  faults.recovered = () => access.storeRecovered()
  const core: Core = {
    dataDir: options.dataDir,
    config,
    runtime,
    db,
    queue,
    hub,
    log: createWebhookLogStore(db, { clockSkewMs: config.clockSkewSeconds * 1000 }),
    allowlist: createAllowlistStore(db),
    settings,
    secrets,
    access,
    receiverSettings: createReceiverSettings(settings),
    retention: createRetention(db, { days: config.retentionDays, maxMb: config.storeMaxMb }),
    venue: createVenueAdmin({ queue, hub, access }),
    audit: createAuditLog(db),
    close() {
      queue.flush()
      db.close()
    },
  }
  return core
}
