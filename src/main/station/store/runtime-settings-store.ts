// The station's run-time settings in the settings table: the values an admin stored (CLI or desk),
// and what the running station says it uses (so the CLI computes health with the station's timeout,
// whatever the CLI's own environment says).
import type { SettingsStore } from './settings'
import {
  parseRuntimeSetting,
  RUNTIME_SETTING_NAMES,
  RUNTIME_SETTINGS,
  type RuntimeSettingName,
  type RuntimeValues,
  type SettingSource,
} from '../../../shared/runtime-settings'

const STORED_KEY = 'station.runtime'
const IN_USE_KEY = 'station.runtime_in_use'

/** What a running station published: its pid and the values (and their sources) it uses. */
export interface InUseRecord {
  pid: number
  at: string
  values: RuntimeValues
  sources: Record<RuntimeSettingName, SettingSource>
}

export type RuntimeSettingsStore = ReturnType<typeof createRuntimeSettingsStore>

export function createRuntimeSettingsStore(settings: SettingsStore) {
  const raw = (): Record<string, unknown> => {
    const v = settings.get<unknown>(STORED_KEY, {})
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  }
  return {
    /** The stored values that parse (anything else is left out: the default then applies). */
    stored(): Partial<RuntimeValues> {
      const all = raw()
      const out: Partial<RuntimeValues> = {}
      for (const name of RUNTIME_SETTING_NAMES) {
        const parsed = all[name] === undefined ? null : parseRuntimeSetting(name, all[name])
        if (parsed?.ok) out[name] = parsed.value
      }
      return out
    },
    /** Stores an already parsed value; null removes it (the default applies). Call inside a write. */
    set(name: RuntimeSettingName, value: number | null): void {
      const next = { ...raw() }
      if (value === null) delete next[name]
      else next[name] = value
      settings.set(STORED_KEY, next)
    },
    publishInUse(record: InUseRecord): void {
      settings.set(IN_USE_KEY, record)
    },
    /**
     * What a station published it uses, each value through the one parser: a damaged or
     * hand-edited value reads as that setting's default, never as NaN.
     */
    inUse(): InUseRecord | null {
      const v = settings.get<unknown>(IN_USE_KEY, null) as Partial<InUseRecord> | null
      if (!v || typeof v !== 'object' || !Number.isSafeInteger(v.pid) || !v.values || !v.sources) return null
      const values = {} as RuntimeValues
      const sources = {} as InUseRecord['sources']
      for (const name of RUNTIME_SETTING_NAMES) {
        const parsed = parseRuntimeSetting(name, (v.values as Record<string, unknown>)[name])
        const source = (v.sources as Record<string, unknown>)[name]
        const known = source === 'env' || source === 'store' || source === 'default' || source === 'option'
        values[name] = parsed.ok ? parsed.value : RUNTIME_SETTINGS[name].default
        sources[name] = parsed.ok && known ? source : 'default'
      }
      return { pid: v.pid!, at: String(v.at), values, sources }
    },
  }
}
