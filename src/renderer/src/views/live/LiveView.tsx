// Live: what the desk watches for hours. Counters and gateways on top, reader health and the
// charts below, the access feed down the right-hand side.
import { useLive } from '../../store/LiveProvider'
import { Counters } from './Counters'
import { GatewayTiles } from './GatewayTiles'
import { ReaderGrid } from './ReaderGrid'
import { AccessFeed } from './AccessFeed'
import { ScansChart } from './ScansChart'
import { RequestsChart } from './RequestsChart'
import { ZoneGauges } from '../venue/ZoneGauges'

export function LiveView(): React.JSX.Element {
  const ready = useLive((s) => s.todaySince)
  if (ready === null)
    return (
      <p className="loading" role="status">
        Connecting to the station…
      </p>
    )
  return (
    <div className="live-layout" data-testid="live-view">
      <div className="live-main">
        <Counters />
        <ZoneGauges />
        <GatewayTiles />
        <ReaderGrid />
        <div className="live-charts">
          <ScansChart />
          <RequestsChart />
        </div>
      </div>
      <AccessFeed />
    </div>
  )
}
