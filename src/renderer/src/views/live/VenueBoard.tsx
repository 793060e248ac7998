// The board: every gateway, then every reader, problems first, in one panel that takes the room
// Live has left. While the station cannot be reached it says since when, and no tile stays green.
import { useLive } from '../../store/LiveProvider'
import { Panel } from '../../ui/Panel'
import { clock } from '../../ui/format'
import { href } from '../../shell/route'
import { summarise, type Board, type TileState } from '../board/board-state'
import { GatewayTiles } from './GatewayTiles'
import { ReaderGrid } from './ReaderGrid'

export function VenueBoard({ board, staleSince }: { board: Board; staleSince: number | null }): React.JSX.Element {
  const timeout = useLive((s) => s.gatewayTimeoutSeconds)
  const stale = staleSince !== null
  return (
    <Panel
      title="Gateways and readers"
      id="board"
      className={`board-panel${stale ? ' stale' : ''}`}
      actions={
        <>
          <span className="hint board-summary" data-testid="board-summary" title={`A gateway is offline after ${timeout} s of silence`}>
            {stale ? (
              <StaleSince at={staleSince} />
            ) : (
              <>
                {board.gateways.length} gateways{problems(board.gateways.map((g) => g.state))} · {board.readers.length} readers
                {problems(board.readers.map((r) => r.state))}
              </>
            )}
          </span>
          <a className="btn btn-small" href={href('webhooks', { section: 'readers' })}>
            Manage readers
          </a>
        </>
      }
    >
      <GatewayTiles gateways={board.gateways} stale={stale} />
      <ReaderGrid readers={board.readers} stale={stale} />
    </Panel>
  )
}

export function StaleSince({ at }: { at: number }): React.JSX.Element {
  return (
    <strong className="stale-since" data-testid="stale-since">
      stale since {clock(at)}
    </strong>
  )
}

/** ": 1 offline, 2 degraded" (healthy ones are the rest and go unsaid). */
function problems(states: TileState[]): string {
  const text = summarise(states.filter((s) => s !== 'online' && s !== 'healthy'))
  return text ? `: ${text}` : ', all up'
}
