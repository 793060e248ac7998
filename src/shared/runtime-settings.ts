// The station's run-time settings: one table naming each, its environment variable, default and
// range, and the one parser every way in uses (environment, store, CLI, desk). Stored in the
// settings table so the station, the CLI and the desk agree; an environment variable still wins.
import { z } from 'zod'

export interface RuntimeSettingSpec {
  env: string
  default: number
  min: number
  /**
   * Largest value taken: a value an admin (or a damaged store) sets must not switch a guard off
   * (a sync body limit of a million MiB is no limit) or make every reload scan the whole log.
   */
  max: number
  /** Shown after the value: "s", "MiB", "per minute"… */
  unit: string
  /** 'live': a running station applies a stored change within a second; 'restart': at its next start. */
  applies: 'live' | 'restart'
  label: string
}

export const RUNTIME_SETTINGS = {
  gateway_timeout_seconds: {
    env: 'GATEHOUSE_GATEWAY_TIMEOUT_SECONDS',
    default: 90,
    min: 1,
    max: 86_400,
    unit: 's',
    applies: 'live',
    label: 'A gateway is offline when nothing arrived from it for this long',
  },
  reader_silent_seconds: {
    env: 'GATEHOUSE_READER_SILENT_SECONDS',
    default: 600,
    min: 1,
    max: 86_400,
    unit: 's',
    applies: 'restart',
    label: 'A connected reader heard from for this long is reader_silent',
  },
  rejections_burst_threshold: {
    env: 'GATEHOUSE_REJECTIONS_BURST_THRESHOLD',
    default: 20,
    min: 1,
    max: 1_000_000,
    unit: '/min',
    applies: 'restart',
    label: 'Refusals from one source within a minute that raise rejections_burst',
  },
  clock_skew_seconds: {
    env: 'GATEHOUSE_CLOCK_SKEW_SECONDS',
    default: 300,
    min: 1,
    max: 86_400,
    unit: 's',
    applies: 'restart',
    label: 'A body stamped further ahead of its arrival is a wrong clock (ordered by arrival)',
  },
  retry_window_seconds: {
    env: 'GATEHOUSE_RETRY_WINDOW_SECONDS',
    default: 60,
    min: 0,
    max: 3_600,
    unit: 's',
    applies: 'restart',
    label: 'A retried scan gets its first decision back within this long',
  },
  rate_limit_per_minute: {
    env: 'GATEHOUSE_RATE_LIMIT_PER_MINUTE',
    default: 12_000,
    min: 0,
    max: 10_000_000,
    unit: '/min',
    applies: 'restart',
    label: 'Signed budget per source address and endpoint (0: no limit)',
  },
  refusal_rate_limit_per_minute: {
    env: 'GATEHOUSE_REFUSAL_RATE_LIMIT_PER_MINUTE',
    default: 600,
    min: 0,
    max: 10_000_000,
    unit: '/min',
    applies: 'restart',
    label: 'Refusal budget per source address (0: no limit)',
  },
  sync_body_limit_mb: {
    env: 'GATEHOUSE_SYNC_BODY_LIMIT_MB',
    default: 64,
    min: 1,
    max: 1_024,
    unit: 'MiB',
    applies: 'restart',
    label: 'Largest attendee-sync body',
  },
  retention_days: {
    env: 'GATEHOUSE_RETENTION_DAYS',
    default: 30,
    min: 1,
    max: 3_650,
    unit: 'days',
    applies: 'restart',
    label: 'Log entries and decisions older than this are pruned',
  },
  store_max_mb: {
    env: 'GATEHOUSE_STORE_MAX_MB',
    default: 2048,
    min: 16,
    max: 1_048_576,
    unit: 'MiB',
    applies: 'restart',
    label: 'Above this, refused entries and then the oldest entries are pruned',
  },
  store_min_free_mb: {
    env: 'GATEHOUSE_STORE_MIN_FREE_MB',
    default: 512,
    min: 0,
    max: 1_048_576,
    unit: 'MiB',
    applies: 'restart',
    label: 'store_space_low when the disk has less free than this',
  },
} as const satisfies Record<string, RuntimeSettingSpec>

export type RuntimeSettingName = keyof typeof RUNTIME_SETTINGS
export const RUNTIME_SETTING_NAMES = Object.keys(RUNTIME_SETTINGS) as RuntimeSettingName[]
export const runtimeSettingNameSchema = z.enum(RUNTIME_SETTING_NAMES as [RuntimeSettingName, ...RuntimeSettingName[]])
export type RuntimeValues = Record<RuntimeSettingName, number>

export type ParsedSetting = { ok: true; value: number } | { ok: false; message: string }

/**
 * The one parser: a whole number in the setting's range, from text (environment, CLI) or a number
 * (desk, store). `what` names where it came from in the message ("GATEHOUSE_…", "gateway_timeout_seconds").
 */
export function parseRuntimeSetting(name: RuntimeSettingName, raw: unknown, what: string = name): ParsedSetting {
  const spec: RuntimeSettingSpec = RUNTIME_SETTINGS[name]
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : null
  const n = text === null || text === '' || !/^-?\d+$/.test(text) ? NaN : Number(text)
  if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max) {
    const got = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : typeof raw
    const range = n > spec.max ? ` and ≤ ${spec.max}` : ''
    return { ok: false, message: `${what} must be a whole number ≥ ${spec.min}${range} (got "${got}")` }
  }
  return { ok: true, value: n }
}

/** Where a value in use comes from: the station's environment, the store, or the default. */
export type SettingSource = 'env' | 'store' | 'default' | 'option'

export interface RuntimeSettingView {
  name: RuntimeSettingName
  label: string
  unit: string
  env_var: string
  applies: 'live' | 'restart'
  min: number
  default: number
  /** What the station uses now. */
  value: number
  source: SettingSource
  /** The value in the store (null: none stored). */
  stored: number | null
  /** Set when the stored value is not the one in use: an environment variable overrides it, or it applies at the next start. */
  note: string | null
}

export interface RuntimeSettingsView {
  settings: RuntimeSettingView[]
}
