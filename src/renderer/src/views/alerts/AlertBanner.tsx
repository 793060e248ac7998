// The strip under the top bar while any alert is open: the most urgent one in words, since when,
// how many more, and the way to the Alerts view. Acknowledged alerts calm it down but keep it
// visible; snoozed ones are out of it until they come back.
import { useLive } from '../../store/LiveProvider'
import { useNow } from '../../store/use-now'
import { Icon } from '../../ui/Icon'
import { age, clock } from '../../ui/format'
import { useStaleSince } from '../../store/use-connection'
import { href } from '../../shell/route'
import type { AlertView } from '../../../../shared/domain'
import { liveMessage } from '../live/live-alert-text'

// Waiting for someone first, then by priority (the live state keeps the queue order within each).
const rank = (a: AlertView): number => (a.state === 'open' ? 0 : 10) + a.priority

export function AlertBanner(): React.JSX.Element | null {
  const all = useLive((s) => s.openAlerts)
  const gateways = useLive((s) => s.gateways)
  const staleSince = useStaleSince()
  const now = useNow()
  const open = (all ?? []).filter((a) => a.state !== 'snoozed')
  if (open.length === 0) return null
  const sorted = [...open].sort((a, b) => rank(a) - rank(b))
  const top = sorted[0]!
  const unacked = open.filter((a) => a.state === 'open').length
  const tone = unacked === 0 ? 'acked' : top.severity
  return (
    <div className={`alert-banner banner-${tone}`} role="region" aria-label="Open alerts" data-testid="alert-banner">
      <Icon name={top.severity === 'info' ? 'info' : top.severity} size={22} />
      <strong className="banner-severity">
        P{top.priority}{' '}
        {unacked === 0 ? 'Acknowledged' : top.severity === 'critical' ? 'Critical' : top.severity === 'warning' ? 'Warning' : 'Notice'}
      </strong>
      <span className="banner-message">{liveMessage(top, gateways ?? [])}</span>
      <span className="banner-age" data-testid="alert-since">
        since {clock(top.raised_at)}
        {staleSince === null && <> ({age(top.raised_at, now)})</>}
      </span>
      {open.length > 1 && <span className="banner-more">+{open.length - 1} more open</span>}
      <a className="btn banner-link" href={href('alerts')}>
        {unacked > 0 ? `Review ${unacked} unacknowledged` : 'View alerts'}
        <Icon name="arrowRight" />
      </a>
    </div>
  )
}
