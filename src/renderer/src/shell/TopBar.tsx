// The header: product mark, the views as links, then the desk's state and its two switches.
import { Icon } from '../ui/Icon'
import { clock } from '../ui/format'
import { useNow } from '../store/use-now'
import { useConnected } from '../store/use-connection'
import { useLive } from '../store/LiveProvider'
import { href, type ViewName } from './route'
import { SessionBar } from '../session/SessionBar'

const NAV: Array<{ view: ViewName; label: string }> = [
  { view: 'live', label: 'Live' },
  { view: 'alerts', label: 'Alerts' },
  { view: 'webhooks', label: 'Webhooks' },
  { view: 'logs', label: 'Logs' },
  { view: 'attendees', label: 'Attendees' },
  { view: 'audit', label: 'Audit' },
]

export function TopBar(props: {
  view: ViewName
  theme: string
  onTheme: () => void
  muted: boolean
  onMute: () => void
}): React.JSX.Element {
  const openAlerts = useLive((s) => s.openAlerts)
  const unacked = openAlerts?.filter((a) => a.state === 'open').length ?? 0
  return (
    <header className="topbar">
      <div className="brand">
        <Icon name="shield" size={24} />
        <span>Gatehouse</span>
      </div>
      <nav aria-label="Views">
        <ul>
          {NAV.map((n) => (
            <li key={n.view}>
              <a href={href(n.view)} aria-current={props.view === n.view ? 'page' : undefined}>
                {n.label}
                {n.view === 'alerts' && unacked > 0 && (
                  <span className="nav-count" aria-label={`${unacked} unacknowledged`}>
                    {unacked}
                  </span>
                )}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="topbar-status">
        <SessionBar />
        <Clock />
        <Connection />
        <button
          type="button"
          className="btn btn-icon"
          onClick={props.onMute}
          aria-pressed={props.muted}
          title={props.muted ? 'Alert sound off' : 'Alert sound on'}
        >
          <Icon name={props.muted ? 'muted' : 'sound'} />
          <span>{props.muted ? 'Sound off' : 'Sound on'}</span>
        </button>
        <button
          type="button"
          className="btn btn-icon"
          onClick={props.onTheme}
          aria-label={`Switch to ${props.theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          <Icon name={props.theme === 'dark' ? 'sun' : 'moon'} />
          <span>{props.theme === 'dark' ? 'Light' : 'Dark'}</span>
        </button>
      </div>
    </header>
  )
}

function Clock(): React.JSX.Element {
  const now = useNow()
  return (
    <time className="clock" dateTime={new Date(now).toISOString()}>
      {clock(now)}
    </time>
  )
}

function Connection(): React.JSX.Element {
  const connected = useConnected()
  return (
    <span className={`connection ${connected ? 'connected' : 'lost'}`} role="status" data-testid="connection">
      <Icon name={connected ? 'online' : 'offline'} />
      {connected ? 'Connected' : 'Reconnecting…'}
    </span>
  )
}
