// The access feed: newest first, each decision in words (and icon), denials marked on the row.
import { memo, useState } from 'react'
import { useLive } from '../../store/LiveProvider'
import { DecisionBadge } from '../../ui/Badges'
import { Panel, Empty } from '../../ui/Panel'
import { VirtualList } from '../../ui/VirtualList'
import { REASON_WORDS, clock } from '../../ui/format'
import type { DecisionView } from '../../../../shared/domain'
import { Notice } from '../../ui/Panel'
import { DecisionActionButtons, DecisionActionDialog, type DecisionAction } from '../venue/DecisionActions'

type Filter = 'all' | 'denied'
/** Two lines of text; fixed so the feed can be windowed (see styles/live.css .feed-row). */
const ROW_HEIGHT = 56

export function AccessFeed(): React.JSX.Element {
  const feed = useLive((s) => s.feed) ?? []
  const [filter, setFilter] = useState<Filter>('all')
  const [action, setAction] = useState<DecisionAction | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const rows = filter === 'denied' ? feed.filter((d) => !d.access_granted) : feed
  return (
    <Panel
      title="Access feed"
      id="feed"
      className="feed-panel"
      actions={
        <div className="segmented" role="group" aria-label="Show">
          <button type="button" className="btn btn-small" aria-pressed={filter === 'all'} onClick={() => setFilter('all')}>
            All
          </button>
          <button type="button" className="btn btn-small" aria-pressed={filter === 'denied'} onClick={() => setFilter('denied')}>
            Denied only
          </button>
        </div>
      }
    >
      {rows.length === 0 ? (
        <Empty>{filter === 'denied' ? 'No denials in the last 200 scans.' : 'No scans yet. Decisions appear here as readers scan.'}</Empty>
      ) : (
        <VirtualList
          items={rows}
          rowHeight={ROW_HEIGHT}
          keyOf={(d) => d.id}
          renderRow={(d) => <FeedRow decision={d} onAction={setAction} />}
          label="Latest access decisions, newest first"
          testId="access-feed"
        />
      )}
      {done && <Notice kind="ok">{done}</Notice>}
      {action && (
        <DecisionActionDialog
          action={action}
          onDone={(message) => {
            setAction(null)
            setDone(message)
          }}
        />
      )}
    </Panel>
  )
}

const FeedRow = memo(function FeedRow({
  decision: d,
  onAction,
}: {
  decision: DecisionView
  onAction: (a: DecisionAction) => void
}): React.JSX.Element {
  const name = d.attendee ? `${d.attendee.first_name} ${d.attendee.last_name}` : null
  return (
    <div className={`feed-row ${d.access_granted ? 'row-granted' : 'row-denied'}`} data-testid="feed-row">
      <time className="feed-time" dateTime={d.decided_at}>
        {clock(d.decided_at)}
      </time>
      <DecisionBadge granted={d.access_granted} />
      <span className="feed-who">{name ?? <span className="mono">{d.credential_value}</span>}</span>
      <span className="feed-where" title="Reader">
        {d.reader_id}
      </span>
      <span className="feed-why">
        {REASON_WORDS[d.reason] ?? d.reason}
        {d.override_by && <span className="dim"> by {d.override_by}</span>}
        {d.watch && (
          <span className={d.watch.kind === 'vip' ? 'vip-mark' : 'denied-text'}>
            {' '}
            · {d.watch.kind === 'vip' ? 'VIP' : 'Blocked'}
            {d.watch.note ? `: ${d.watch.note}` : ''}
          </span>
        )}
        {d.movement && d.zone && (
          <span className="dim">
            {' '}
            · {d.movement === 'in' ? 'into' : 'out of'} {d.zone}
          </span>
        )}
      </span>
      <DecisionActionButtons decision={d} onAction={onAction} />
    </div>
  )
})
