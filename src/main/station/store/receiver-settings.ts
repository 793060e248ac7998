// The receiver's run-time settings in the settings table: the replay guard per endpoint and
// whether plain HTTP is served. Written by the desk or the CLI; the station re-reads them when
// another connection commits (PRAGMA data_version).
import type { SettingsStore } from './settings'
import type { EndpointName } from '../../../shared/webhooks'
import { defaultReplayGuards, replayGuardsSchema, type ReplayGuardConfig, type ReplayGuards } from '../../../shared/station-settings'

const REPLAY_KEY = 'receiver.replay_guard'
const HTTP_KEY = 'receiver.http_enabled'

export type ReceiverSettings = ReturnType<typeof createReceiverSettings>

export function createReceiverSettings(settings: SettingsStore) {
  function replayGuards(): ReplayGuards {
    const parsed = replayGuardsSchema.safeParse(settings.get<unknown>(REPLAY_KEY, {}))
    return { ...defaultReplayGuards(), ...(parsed.success ? parsed.data : {}) }
  }
  return {
    replayGuards,
    setReplayGuard(endpoint: EndpointName, change: Partial<ReplayGuardConfig>): ReplayGuardConfig {
      const all = replayGuards()
      const next = { ...all[endpoint], ...change }
      settings.set(REPLAY_KEY, { ...all, [endpoint]: next })
      return next
    },
    httpEnabled: (): boolean => settings.get<unknown>(HTTP_KEY, true) !== false,
    setHttpEnabled: (enabled: boolean): void => settings.set(HTTP_KEY, enabled),
  }
}
