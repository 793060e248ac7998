// Gateways, problems first: each says its state, when it was last heard and how many readers it has.
import { memo } from 'react'
import { useNow } from '../../store/use-now'
import { Empty } from '../../ui/Panel'
import { age, clock } from '../../ui/format'
import { StateBadge } from '../board/StateBadge'
import type { Board } from '../board/board-state'

export function GatewayTiles({ gateways, stale }: { gateways: Board['gateways']; stale: boolean }): React.JSX.Element {
  if (gateways.length === 0) return <Empty>No gateway has reported yet. Give gateways the status URL from Webhooks.</Empty>
  return (
    <ul className="gateway-tiles" data-testid="gateway-tiles" aria-label="Gateways, problems first">
      {gateways.map((g) => (
        <GatewayTile key={g.gateway.gateway_id} entry={g} stale={stale} />
      ))}
    </ul>
  )
}

const GatewayTile = memo(function GatewayTile({ entry, stale }: { entry: Board['gateways'][number]; stale: boolean }): React.JSX.Element {
  const now = useNow()
  const { gateway: g, state } = entry
  const shown = stale ? 'stale' : state
  const c = g.reader_counts
  const reportedOther = g.status.toLowerCase() !== g.health
  return (
    <li className={`gateway-tile tile-${shown}`} data-testid={`gateway-${g.gateway_id}`} data-state={shown}>
      <div className="tile-head">
        <span className="tile-id">{g.gateway_id}</span>
        <StateBadge state={shown} size={18} />
      </div>
      <div className="tile-line">
        heard <strong>{stale ? clock(g.last_seen) : age(g.last_seen, now)}</strong>
        <span className="dim">
          {' '}
          · {c.total === 0 ? 'no readers' : `${c.total} reader${c.total === 1 ? '' : 's'}`}
          {c.degraded > 0 && <span className="warn-text"> · {c.degraded} degraded</span>}
          {reportedOther && <> · reports “{g.status}”</>}
        </span>
      </div>
    </li>
  )
})
