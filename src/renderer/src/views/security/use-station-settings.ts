// The station's receiver settings (TLS, plain HTTP, replay guards, retention, secret storage):
// fetched when the station says settings changed, and every few seconds for the store's size.
import { useCallback, useEffect, useState } from 'react'
import { call, errorText } from '../../api/desk'
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
  const [settings, setSettings] = useState<StationSettingsView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(async () => {
    try {
      setSettings(await call('station:settings', {}))
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }, [])
  useEffect(() => void reload(), [reload, configVersion])
  useEffect(() => {
    const timer = setInterval(() => void reload(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  return { settings, error, reload, replace: setSettings }
}
