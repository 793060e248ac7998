// The station's receiver settings (TLS, plain HTTP, replay guards, retention, secret storage):
// fetched when the station says settings changed, and every few seconds for the store's size.
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import type { StationSettingsView } from '../../../../shared/station-settings'

const REFRESH_MS = 10_000

export interface StationSettingsState {
  settings: StationSettingsView | null
  error: string | null
  reload: () => Promise<void>
  /** Takes a fresher view returned by a command (http:set) without another round trip. */
  replace: (settings: StationSettingsView) => void
}

export function useStationSettings(): StationSettingsState {
  const configVersion = useLive((s) => s.versions.config)
  const q = useDeskQuery('station:settings', {}, { refreshOn: [configVersion], refreshMs: REFRESH_MS })
  return { settings: q.data, error: q.error, reload: q.reload, replace: q.replace }
}
