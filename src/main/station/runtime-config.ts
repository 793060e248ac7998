// The run-time settings a process uses, and how they are shown. The station resolves them from
// its environment, the store and the defaults, applies the live ones when the store changes, and
// publishes what it uses; the CLI takes what a running station published (so `gatehouse status`
// judges a gateway offline exactly when the station does), else resolves them the same way.
import { configFrom, resolveSettings, settingOfConfigKey, settingValueOf, type ResolvedSettings, type StationConfig } from './config'
import type { InUseRecord, RuntimeSettingsStore } from './store/runtime-settings-store'
import {
  parseRuntimeSetting,
  RUNTIME_SETTING_NAMES,
  RUNTIME_SETTINGS,
  type RuntimeSettingName,
  type RuntimeSettingsView,
  type RuntimeSettingView,
} from '../../shared/runtime-settings'

export interface RuntimeConfigOptions {
  env: NodeJS.ProcessEnv
  store: RuntimeSettingsStore
  /** Start options that win over everything (tests). */
  overrides?: Partial<StationConfig>
  /** The CLI: use what a running station published it uses. */
  followStation?: boolean
}

export type RuntimeConfig = ReturnType<typeof createRuntimeConfig>

/** Whether a process with this pid runs (EPERM: it does, as another user). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM'
  }
}

export class SettingValueError extends Error {
  override name = 'SettingValueError'
}

export function createRuntimeConfig(options: RuntimeConfigOptions) {
  const { env, store } = options
  const overridden = new Set(Object.keys(options.overrides ?? {}).map((k) => settingOfConfigKey(k as keyof StationConfig)))

  const runningStation = (): InUseRecord | null => {
    if (!options.followStation) return null
    const record = store.inUse()
    return record && alive(record.pid) ? record : null
  }

  function resolve(): ResolvedSettings {
    const station = runningStation()
    if (station) return { values: { ...resolveSettings({}).values, ...station.values }, sources: station.sources }
    const resolved = resolveSettings(env, store.stored())
    for (const name of overridden) if (name) resolved.sources[name] = 'option'
    return resolved
  }

  let resolved = resolve()
  /** Mutable: the live settings change in place, read where they are used. */
  const config: StationConfig = { ...configFrom(resolved.values), ...options.overrides }
  for (const name of overridden) if (name) resolved.values[name] = settingValueOf(config, name)

  function view(): RuntimeSettingsView {
    const stored = store.stored()
    const station = runningStation()
    const settings = RUNTIME_SETTING_NAMES.map((name): RuntimeSettingView => {
      const spec = RUNTIME_SETTINGS[name]
      const value = resolved.values[name]
      const source = resolved.sources[name]
      const own = stored[name] ?? null
      const next = own ?? spec.default
      let note: string | null = null
      if (source === 'env') note = `set by ${spec.env}${station ? ' in the station’s environment' : ''}; the store’s value is not used`
      else if (source === 'option') note = 'set by the station’s start options'
      else if (next !== value && spec.applies === 'live') note = `${next} is taken up by the running station within a second`
      else if (next !== value) note = `${next} applies at the next start of the station`
      return {
        name,
        label: spec.label,
        unit: spec.unit,
        env_var: spec.env,
        applies: spec.applies,
        min: spec.min,
        default: spec.default,
        value,
        source,
        stored: own,
        note,
      }
    })
    return { settings }
  }

  return {
    config,
    view,
    values: () => ({ ...resolved.values }),
    /**
     * Re-reads the store (after another process committed). Live settings take their new value in
     * place; the others wait for the next start. True when a value in use changed.
     */
    reload(): boolean {
      const next = resolve()
      let changed = false
      for (const name of RUNTIME_SETTING_NAMES) {
        if (RUNTIME_SETTINGS[name].applies !== 'live' || resolved.sources[name] === 'option') continue
        if (next.values[name] !== resolved.values[name] || next.sources[name] !== resolved.sources[name]) {
          resolved.values[name] = next.values[name]
          resolved.sources[name] = next.sources[name]
          changed = true
        }
      }
      if (changed) Object.assign(config, configFrom(resolved.values))
      return changed
    },
    /** Publishes what this station uses, for the CLI to follow. Call inside a store write. */
    publish(): void {
      store.publishInUse({
        pid: process.pid,
        at: new Date().toISOString(),
        values: { ...resolved.values },
        sources: { ...resolved.sources },
      })
    },
    /**
     * Stores a value (or null: back to the default) after the one parser checked it; returns the
     * setting's view before and after. Call inside a store write.
     */
    store(name: RuntimeSettingName, raw: unknown): { before: RuntimeSettingView; after: RuntimeSettingView } {
      const before = view().settings.find((s) => s.name === name)!
      let value: number | null = null
      if (raw !== null && raw !== 'default') {
        const parsed = parseRuntimeSetting(name, raw)
        if (!parsed.ok) throw new SettingValueError(parsed.message)
        value = parsed.value
      }
      store.set(name, value)
      // The CLI with no station running: what is stored now is what the next start uses. (The
      // station re-reads the store in reload(), and only the live settings change there.)
      if (options.followStation && !runningStation()) resolved = resolve()
      const after = view().settings.find((s) => s.name === name)!
      return { before, after }
    },
  }
}
