// The wall display (#/wall): the board, the counters and the last decisions in type read from
// three metres, nothing to click. It reconnects on its own (the WebSocket client retries); while
// it cannot, every value greys out and says since when, as Live does.
import { useMemo } from 'react'
import { useLive } from '../../store/LiveProvider'
import { useStaleSince } from '../../store/use-connection'
import { useNow } from '../../store/use-now'
import { clock, count, REASON_WORDS } from '../../ui/format'
import { Icon } from '../../ui/Icon'
import { buildBoard, type Board } from '../board/board-state'
import { StateBadge } from '../board/StateBadge'
import { ReaderGrid } from '../live/ReaderGrid'
import { WALL_TILE } from '../board/fit-grid'
import type { DecisionView } from '../../../../shared/domain'
import { liveMessage } from '../live/live-alert-text'

const LAST_DECISIONS = 8

export function WallView(): React.JSX.Element {
  const ready = useLive((s) => s.todaySince)
  const gateways = useLive((s) => s.gateways)
  const unassigned = useLive((s) => s.unassigned)
  const staleSince = useStaleSince()
  const now = useNow()
  const board = useMemo(() => buildBoard(gateways ?? [], unassigned ?? []), [gateways, unassigned])
  const stale = staleSince !== null
  return (
    <div className={`wall${stale ? ' is-stale' : ''}`} data-testid="wall-view">
      <header className="wall-head">
        <span className="wall-brand">
          <Icon name="shield" size={30} /> Gatehouse
        </span>
        {stale ? (
          <strong className="wall-stale" data-testid="stale-since" role="alert">
            <Icon name="offline" size={30} /> Station unreachable · stale since {clock(staleSince)} · reconnecting
          </strong>
        ) : ready === null ? (
          <span className="wall-stale">Connecting to the station…</span>
        ) : (
          <WallAlerts />
        )}
        <time className="wall-clock">{clock(now)}</time>
      </header>
      {ready !== null && (
        <div className="wall-body">
          <section className="wall-board" aria-label="Gateways and readers">
            <WallGateways gateways={board.gateways} stale={stale} />
            <ReaderGrid readers={board.readers} stale={stale} limits={WALL_TILE} />
          </section>
          <aside className="wall-side">
            <WallCounters />
            <WallDecisions />
          </aside>
        </div>
      )}
    </div>
  )
}

/** How many alerts are open and the most urgent one, so the wall says when the desk has work. */
function WallAlerts(): React.JSX.Element | null {
  const open = useLive((s) => s.openAlerts) ?? []
  const gateways = useLive((s) => s.gateways) ?? []
  if (open.length === 0) return null
  const top = [...open].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.id - a.id)[0]!
  return (
    <span className={`wall-alerts severity-${top.severity}`} data-testid="wall-alerts">
      <Icon name={top.severity === 'info' ? 'info' : top.severity} size={28} />
      {open.length} open alert{open.length === 1 ? '' : 's'}: {liveMessage(top, gateways)} · since {clock(top.raised_at)}
    </span>
  )
}

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const

function WallGateways({ gateways, stale }: { gateways: Board['gateways']; stale: boolean }): React.JSX.Element {
  return (
    <ul className="wall-gateways" data-testid="wall-gateways">
      {gateways.map(({ gateway: g, state }) => {
        const shown = stale ? 'stale' : state
        return (
          <li key={g.gateway_id} className={`gateway-tile tile-${shown}`} data-testid={`wall-gateway-${g.gateway_id}`} data-state={shown}>
            <span className="tile-id">{g.gateway_id}</span>
            <StateBadge state={shown} size={26} />
          </li>
        )
      })}
    </ul>
  )
}

function WallCounters(): React.JSX.Element | null {
  const counters = useLive((s) => s.counters)
  const zones = useLive((s) => s.zones)
  if (!counters) return null
  return (
    <ul className="wall-counters" data-testid="wall-counters">
      <li className="stat-granted">
        <span className="wall-label">Entries today</span>
        <span className="wall-number">{count(counters.entries_today)}</span>
      </li>
      <li className="stat-denied">
        <span className="wall-label">Denials today</span>
        <span className="wall-number">{count(counters.denials_today)}</span>
      </li>
      {(zones ?? []).map((z) => (
        <li key={z.name} className={z.capacity !== null && z.inside >= z.capacity ? 'stat-denied' : ''} data-testid={`wall-zone-${z.name}`}>
          <span className="wall-label">{z.lockdown ? `${z.name} · locked down` : `${z.name} inside`}</span>
          <span className="wall-number">
            {count(z.inside)}
            {z.capacity !== null && <span className="wall-capacity"> / {count(z.capacity)}</span>}
          </span>
        </li>
      ))}
    </ul>
  )
}

function WallDecisions(): React.JSX.Element {
  const feed = useLive((s) => s.feed) ?? []
  const last = feed.slice(0, LAST_DECISIONS)
  return (
    <section className="wall-decisions" aria-label="Last decisions">
      <h2 className="wall-label">Last decisions</h2>
      {last.length === 0 ? (
        <p className="wall-empty">No scans yet today.</p>
      ) : (
        <ol data-testid="wall-decisions">
          {last.map((d) => (
            <WallDecision key={d.id} decision={d} />
          ))}
        </ol>
      )}
    </section>
  )
}

function WallDecision({ decision: d }: { decision: DecisionView }): React.JSX.Element {
  const name = d.attendee ? `${d.attendee.first_name} ${d.attendee.last_name}` : d.credential_value
  return (
    <li className={`wall-decision ${d.access_granted ? 'row-granted' : 'row-denied'}`}>
      <span className="wall-decision-word">
        <Icon name={d.access_granted ? 'granted' : 'denied'} size={26} />
        {d.access_granted ? 'Granted' : 'Denied'}
      </span>
      <span className="wall-name">{name}</span>
      <span className="wall-detail">
        {clock(d.decided_at)} · {d.reader_id}
        {!d.access_granted && <> · {REASON_WORDS[d.reason] ?? d.reason}</>}
      </span>
    </li>
  )
}
