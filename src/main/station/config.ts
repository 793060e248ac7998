// Station settings read from the environment, with the documented defaults.
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface StationConfig {
  /** Signed budget: verified requests per minute per source address per endpoint (0 = no limit). */
  rateLimitPerMinute: number
  /** Refusal budget: refused requests per minute per source address, any path (0 = no limit). */
  refusalRateLimitPerMinute: number
  /** A gateway is offline when nothing arrived from it for this long. */
  gatewayTimeoutSeconds: number
  /** Body limit of attendee-sync (bytes); the other endpoints take 1 MiB. */
  syncBodyLimitBytes: number
  /** Log entries and decisions older than this are pruned. */
  retentionDays: number
  /** Above this many MiB in use, refused entries and then the oldest log entries and decisions are pruned. */
  storeMaxMb: number
  /** A body timestamp further ahead of its arrival than this is a wrong clock: ordered by arrival. */
  clockSkewSeconds: number
  /** A retried scan gets its first decision back only this long after it (then it is decided afresh). */
  retryWindowSeconds: number
  /** A store_space_low alert is raised when the data directory's disk has less free than this (MiB). */
  storeMinFreeMb: number
  /** A reader reported connected from which nothing came for this long, its gateway online, is `reader_silent`. */
  readerSilentSeconds: number
  /** Refusals (400, 409, 413, 415, 429) from one source within a minute that raise `rejections_burst`. */
  rejectionsBurstThreshold: number
}

export const DEFAULT_CLOCK_SKEW_SECONDS = 300
export const DEFAULT_RETRY_WINDOW_SECONDS = 60

// 50 readers scanning flat out (~4 scans/s each) stay well inside this.
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 12_000
// Ten refusals a second from one address is already a flood (or a gateway with the wrong secret).
export const DEFAULT_REFUSAL_RATE_LIMIT_PER_MINUTE = 600

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min} (got "${raw}")`)
  return n
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): StationConfig {
  return {
    rateLimitPerMinute: intFrom(env, 'GATEHOUSE_RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE),
    refusalRateLimitPerMinute: intFrom(env, 'GATEHOUSE_REFUSAL_RATE_LIMIT_PER_MINUTE', DEFAULT_REFUSAL_RATE_LIMIT_PER_MINUTE),
    gatewayTimeoutSeconds: intFrom(env, 'GATEHOUSE_GATEWAY_TIMEOUT_SECONDS', 90, 1),
    syncBodyLimitBytes: intFrom(env, 'GATEHOUSE_SYNC_BODY_LIMIT_MB', 64, 1) * 1024 * 1024,
    retentionDays: intFrom(env, 'GATEHOUSE_RETENTION_DAYS', 30, 1),
    storeMaxMb: intFrom(env, 'GATEHOUSE_STORE_MAX_MB', 2048, 16),
    clockSkewSeconds: intFrom(env, 'GATEHOUSE_CLOCK_SKEW_SECONDS', DEFAULT_CLOCK_SKEW_SECONDS, 1),
    retryWindowSeconds: intFrom(env, 'GATEHOUSE_RETRY_WINDOW_SECONDS', DEFAULT_RETRY_WINDOW_SECONDS, 0),
    storeMinFreeMb: intFrom(env, 'GATEHOUSE_STORE_MIN_FREE_MB', 512, 0),
    readerSilentSeconds: intFrom(env, 'GATEHOUSE_READER_SILENT_SECONDS', 600, 1),
    rejectionsBurstThreshold: intFrom(env, 'GATEHOUSE_REJECTIONS_BURST_THRESHOLD', 20, 1),
  }
}

/** The OS data directory used in headless mode (the desk uses Electron's userData). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GATEHOUSE_DATA_DIR) return env.GATEHOUSE_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Gatehouse')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Gatehouse')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'gatehouse')
}
