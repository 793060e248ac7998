// Live: what the desk watches for hours. Counters on top, then the board (every gateway and
// reader, problems first, fitted to the window), the charts under it; the feed down the right.
// While the station cannot be reached every live value greys out and says since when.
import { useMemo } from 'react'
import { useLive } from '../../store/LiveProvider'
import { useStaleSince } from '../../store/use-connection'
import { Counters } from './Counters'
import { VenueBoard } from './VenueBoard'
import { AccessFeed } from './AccessFeed'
import { ScansChart } from './ScansChart'
import { RequestsChart } from './RequestsChart'
import { ZoneGauges } from '../venue/ZoneGauges'
import { buildBoard } from '../board/board-state'

export function LiveView(): React.JSX.Element {
  const ready = useLive((s) => s.todaySince)
  const gateways = useLive((s) => s.gateways)
  const unassigned = useLive((s) => s.unassigned)
  const staleSince = useStaleSince()
  const board = useMemo(() => buildBoard(gateways ?? [], unassigned ?? []), [gateways, unassigned])
  if (ready === null)
    return (
      <p className="loading" role="status">
        Connecting to the station…
      </p>
    )
  return (
    <div className={`live-layout${staleSince !== null ? ' is-stale' : ''}`} data-testid="live-view">
      <div className="live-main">
        <Counters staleSince={staleSince} />
        <ZoneGauges />
        <VenueBoard board={board} staleSince={staleSince} />
        <div className="live-charts">
          <ScansChart />
          <RequestsChart />
        </div>
      </div>
      <AccessFeed />
    </div>
  )
}
