import { memo } from 'react'
import { useLive } from '../../store/LiveProvider'
import { useNow } from '../../store/use-now'
import { HealthBadge } from '../../ui/Badges'
import { Panel, Empty } from '../../ui/Panel'
import { age } from '../../ui/format'
import { TEST_GATEWAY_ID, type GatewayView } from '../../../../shared/domain'

export function GatewayTiles(): React.JSX.Element {
  const gateways = useLive((s) => s.gateways)
  const timeout = useLive((s) => s.gatewayTimeoutSeconds)
  const shown = (gateways ?? []).filter((g) => g.gateway_id !== TEST_GATEWAY_ID)
  return (
    <Panel title="Gateways" id="gateways" actions={<span className="hint">offline after {timeout} s of silence</span>}>
      {shown.length === 0 ? (
        <Empty>No gateway has reported yet. Give gateways the status URL from Webhooks.</Empty>
      ) : (
        <ul className="gateway-tiles">
          {shown.map((g) => (
            <GatewayTile key={g.gateway_id} gateway={g} />
          ))}
        </ul>
      )}
    </Panel>
  )
}

const GatewayTile = memo(function GatewayTile({ gateway: g }: { gateway: GatewayView }): React.JSX.Element {
  const now = useNow()
  const c = g.reader_counts
  const reportedOther = g.status.toLowerCase() !== g.health
  return (
    <li
      className={`gateway-tile tile-${g.health}`}
      data-testid={`gateway-${g.gateway_id}`}
      aria-label={`Gateway ${g.gateway_id}: ${g.health}`}
    >
      <div className="tile-head">
        <span className="tile-id">{g.gateway_id}</span>
        <HealthBadge health={g.health} large />
      </div>
      <div className="tile-line">
        Last heard <strong>{age(g.last_seen, now)}</strong>
      </div>
      <div className="tile-line dim">
        {c.total === 0 ? 'No readers reported' : `${c.total} reader${c.total === 1 ? '' : 's'}: ${c.healthy} healthy`}
        {c.degraded > 0 && <span className="warn-text"> · {c.degraded} degraded</span>}
        {c.unknown > 0 && <span> · {c.unknown} unknown</span>}
      </div>
      {reportedOther && <div className="tile-line dim">Reports “{g.status}”</div>}
    </li>
  )
})
