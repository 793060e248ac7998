// Status words with their icons: granted/denied, health and severity are never shown by colour alone.
import type { AlertSeverity, GatewayHealth, ReaderHealth } from '../../../shared/domain'
import { Icon, type IconName } from './Icon'
import { STATUS_WORDS, statusClass } from './format'

export function DecisionBadge({ granted }: { granted: boolean }): React.JSX.Element {
  return (
    <span className={`badge decision ${granted ? 'granted' : 'denied'}`}>
      <Icon name={granted ? 'granted' : 'denied'} />
      {granted ? 'Granted' : 'Denied'}
    </span>
  )
}

const HEALTH: Record<GatewayHealth | ReaderHealth, { icon: IconName; word: string }> = {
  online: { icon: 'online', word: 'Online' },
  healthy: { icon: 'online', word: 'Healthy' },
  degraded: { icon: 'degraded', word: 'Degraded' },
  offline: { icon: 'offline', word: 'Offline' },
  unknown: { icon: 'unknown', word: 'Unknown' },
}

export function HealthBadge({ health, large }: { health: GatewayHealth | ReaderHealth; large?: boolean }): React.JSX.Element {
  const h = HEALTH[health]
  return (
    <span className={`badge health health-${health}${large ? ' large' : ''}`}>
      <Icon name={h.icon} size={large ? 20 : 16} />
      {h.word}
    </span>
  )
}

export function SeverityBadge({ severity }: { severity: AlertSeverity }): React.JSX.Element {
  return (
    <span className={`badge severity severity-${severity}`}>
      <Icon name={severity} />
      {severity === 'critical' ? 'Critical' : severity === 'warning' ? 'Warning' : 'Info'}
    </span>
  )
}

export function HttpStatus({ status }: { status: number }): React.JSX.Element {
  return (
    <span className={`badge http http-${statusClass(status)}`}>
      <span className="code">{status}</span>
      <span className="word">{STATUS_WORDS[status] ?? ''}</span>
    </span>
  )
}
