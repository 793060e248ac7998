// Station settings: the environment, then the store, then the documented defaults (see
// shared/runtime-settings.ts for the table and the one parser).
import { homedir } from 'node:os'
import { join } from 'node:path'
import {
  parseRuntimeSetting,
  RUNTIME_SETTING_NAMES,
  RUNTIME_SETTINGS,
  type RuntimeSettingName,
  type RuntimeValues,
  type SettingSource,
} from '../../shared/runtime-settings'

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

export const DEFAULT_CLOCK_SKEW_SECONDS = RUNTIME_SETTINGS.clock_skew_seconds.default
export const DEFAULT_RETRY_WINDOW_SECONDS = RUNTIME_SETTINGS.retry_window_seconds.default

// 50 readers scanning flat out (~4 scans/s each) stay well inside this.
export const DEFAULT_RATE_LIMIT_PER_MINUTE = RUNTIME_SETTINGS.rate_limit_per_minute.default
// Ten refusals a second from one address is already a flood (or a gateway with the wrong secret).
export const DEFAULT_REFUSAL_RATE_LIMIT_PER_MINUTE = RUNTIME_SETTINGS.refusal_rate_limit_per_minute.default

/** Where each setting lands in StationConfig (the sync body limit is kept in bytes). */
const CONFIG_KEY = {
  rate_limit_per_minute: 'rateLimitPerMinute',
  refusal_rate_limit_per_minute: 'refusalRateLimitPerMinute',
  gateway_timeout_seconds: 'gatewayTimeoutSeconds',
  sync_body_limit_mb: 'syncBodyLimitBytes',
  retention_days: 'retentionDays',
  store_max_mb: 'storeMaxMb',
  clock_skew_seconds: 'clockSkewSeconds',
  retry_window_seconds: 'retryWindowSeconds',
  store_min_free_mb: 'storeMinFreeMb',
  reader_silent_seconds: 'readerSilentSeconds',
  rejections_burst_threshold: 'rejectionsBurstThreshold',
} as const satisfies Record<RuntimeSettingName, keyof StationConfig>

export interface ResolvedSettings {
  values: RuntimeValues
  sources: Record<RuntimeSettingName, SettingSource>
}

/**
 * The values in use: the environment wins, then the store, then the default. A bad environment
 * value stops the start with a message naming the variable; a bad stored value (only possible by
 * editing the store by hand: every way in parses it) is passed over for the default.
 */
export function resolveSettings(env: NodeJS.ProcessEnv, stored: Partial<RuntimeValues> = {}): ResolvedSettings {
  const values = {} as RuntimeValues
  const sources = {} as Record<RuntimeSettingName, SettingSource>
  for (const name of RUNTIME_SETTING_NAMES) {
    const spec = RUNTIME_SETTINGS[name]
    const raw = env[spec.env]
    if (raw !== undefined && raw.trim() !== '') {
      const parsed = parseRuntimeSetting(name, raw, spec.env)
      if (!parsed.ok) throw new Error(parsed.message)
      values[name] = parsed.value
      sources[name] = 'env'
      continue
    }
    const fromStore = stored[name] === undefined ? null : parseRuntimeSetting(name, stored[name])
    values[name] = fromStore?.ok ? fromStore.value : spec.default
    sources[name] = fromStore?.ok ? 'store' : 'default'
  }
  return { values, sources }
}

export function configFrom(values: RuntimeValues): StationConfig {
  const config = {} as StationConfig
  for (const name of RUNTIME_SETTING_NAMES) config[CONFIG_KEY[name]] = values[name]
  config.syncBodyLimitBytes = values.sync_body_limit_mb * 1024 * 1024
  return config
}

/** The setting behind a StationConfig key (what a start option overrides). */
export const settingOfConfigKey = (key: keyof StationConfig): RuntimeSettingName | undefined =>
  RUNTIME_SETTING_NAMES.find((n) => CONFIG_KEY[n] === key)

/** The value of a setting as StationConfig holds it, in the setting's own unit. */
export const settingValueOf = (config: StationConfig, name: RuntimeSettingName): number =>
  name === 'sync_body_limit_mb' ? config.syncBodyLimitBytes / (1024 * 1024) : config[CONFIG_KEY[name]]

export function readConfig(env: NodeJS.ProcessEnv = process.env, stored: Partial<RuntimeValues> = {}): StationConfig {
  return configFrom(resolveSettings(env, stored).values)
}

/** The OS data directory used in headless mode (the desk uses Electron's userData). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GATEHOUSE_DATA_DIR) return env.GATEHOUSE_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Gatehouse')
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Gatehouse')
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'gatehouse')
}
