// The desk: top bar, the open-alert banner, and one view at a time (hash-routed).
import { useEffect } from 'react'
import { LiveProvider, useLiveStore } from './store/LiveProvider'
import { usePreference } from './store/preferences'
import { playAlertSound, unlockAudioOnGesture } from './ui/alert-sound'
import { TopBar } from './shell/TopBar'
import { ConnectionBanner } from './shell/ConnectionBanner'
import { parseRoute, useHash } from './shell/route'
import { AlertBanner } from './views/alerts/AlertBanner'
import { LockdownBanner } from './views/venue/LockdownBanner'
import { LiveView } from './views/live/LiveView'
import { AlertsView } from './views/alerts/AlertsView'
import { WebhooksView } from './views/webhooks/WebhooksView'
import { LogsView } from './views/logs/LogsView'
import { AttendeesView } from './views/attendees/AttendeesView'
import { AuditView } from './views/audit/AuditView'

export function App(): React.JSX.Element {
  return (
    <LiveProvider>
      <Desk />
    </LiveProvider>
  )
}

function Desk(): React.JSX.Element {
  const route = parseRoute(useHash())
  const [theme, setTheme] = usePreference('theme', 'dark')
  const [muted, setMuted] = usePreference('muted', 'false')
  useEffect(() => {
    document.documentElement.dataset.theme = theme === 'light' ? 'light' : 'dark'
  }, [theme])
  useAlertSound(muted === 'true')
  return (
    <div className="desk">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <TopBar
        view={route.view}
        theme={theme}
        onTheme={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
        muted={muted === 'true'}
        onMute={() => setMuted(muted === 'true' ? 'false' : 'true')}
      />
      <ConnectionBanner />
      <LockdownBanner />
      <AlertBanner />
      <main id="main" tabIndex={-1} className={`view view-${route.view}`}>
        {route.view === 'live' && <LiveView />}
        {route.view === 'alerts' && <AlertsView />}
        {route.view === 'webhooks' && <WebhooksView params={route.params} />}
        {route.view === 'logs' && <LogsView key={route.params.toString()} params={route.params} />}
        {route.view === 'attendees' && <AttendeesView />}
        {route.view === 'audit' && <AuditView />}
      </main>
    </div>
  )
}

function useAlertSound(muted: boolean): void {
  const store = useLiveStore()
  useEffect(() => unlockAudioOnGesture(), [])
  useEffect(() => {
    if (muted) return
    return store.onNewAlerts((alerts) => {
      // One sound per batch, for its most severe new alert.
      playAlertSound(
        alerts.some((a) => a.severity === 'critical') ? 'critical' : alerts.some((a) => a.severity === 'warning') ? 'warning' : 'info',
      )
    })
  }, [store, muted])
}
