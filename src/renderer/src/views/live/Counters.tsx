import { useLive } from '../../store/LiveProvider'
import { Icon } from '../../ui/Icon'
import { clock, count, percent } from '../../ui/format'
import { TEST_GATEWAY_ID } from '../../../../shared/domain'

/** Today's totals, large enough to read from across the desk. */
export function Counters({ staleSince }: { staleSince: number | null }): React.JSX.Element | null {
  const counters = useLive((s) => s.counters)
  const gateways = useLive((s) => s.gateways)
  if (!counters || !gateways) return null
  const real = gateways.filter((g) => g.gateway_id !== TEST_GATEWAY_ID)
  const online = real.filter((g) => g.health === 'online').length
  return (
    <section className={`counters${staleSince !== null ? ' stale' : ''}`} aria-label="Today">
      <Stat label="Entries today" value={count(counters.entries_today)} icon="granted" tone="granted" testId="entries-today" />
      <Stat label="Denials today" value={count(counters.denials_today)} icon="denied" tone="denied" testId="denials-today" />
      <Stat label="Denial rate" value={percent(counters.denial_rate)} testId="denial-rate" />
      <Stat
        label="Gateways up"
        value={staleSince !== null ? `stale since ${clock(staleSince)}` : `${online} / ${real.length}`}
        icon="gate"
        tone={staleSince !== null ? 'stale' : online < real.length ? 'warn' : undefined}
        testId="gateways-online"
      />
    </section>
  )
}

function Stat(props: {
  label: string
  value: string
  icon?: 'granted' | 'denied' | 'gate'
  tone?: string
  testId: string
}): React.JSX.Element {
  return (
    <div className={`stat ${props.tone ? `stat-${props.tone}` : ''}`} data-testid={props.testId}>
      <span className="stat-label">
        {props.icon && <Icon name={props.icon} size={16} />}
        {props.label}
      </span>
      <span className="stat-value">{props.value}</span>
    </div>
  )
}
