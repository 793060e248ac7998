// The desk: top bar, the open-alert banner, and one view at a time (hash-routed).
import { useEffect } from 'react'
import { LiveProvider } from './store/LiveProvider'
import { usePreference } from './store/preferences'
import { useAlarm } from './views/alerts/use-alarm'
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
import { WallView } from './views/wall/WallView'
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
  useAlarm(muted === 'true' || route.view === 'wall')
  if (route.view === 'wall') return <WallView />
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
