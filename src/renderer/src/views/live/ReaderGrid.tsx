// Every reader at once, problems first: the grid fits its tiles to the space it is given (denser
// as the count grows) instead of scrolling a few of them out of sight.
import { memo, useRef } from 'react'
import { useNow } from '../../store/use-now'
import { Empty } from '../../ui/Panel'
import { age, clock } from '../../ui/format'
import { StateBadge } from '../board/StateBadge'
import type { BoardReader } from '../board/board-state'
import { fitGrid, type FitLimits, READER_TILE } from '../board/fit-grid'
import { useBoxSize } from '../board/use-box-size'

export function ReaderGrid({
  readers,
  stale,
  limits = READER_TILE,
}: {
  readers: BoardReader[]
  stale: boolean
  limits?: FitLimits
}): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null)
  const size = useBoxSize(box)
  const fit = fitGrid(readers.length, size.width, size.height, limits)
  return (
    <div className="reader-box" ref={box} style={{ minHeight: size.width > 0 ? fit.minimum : undefined }}>
      {readers.length === 0 ? (
        <Empty>No readers yet.</Empty>
      ) : (
        <ul
          className={`reader-grid density-${fit.density}`}
          data-testid="reader-grid"
          aria-label="Readers, problems first"
          style={{ gridTemplateColumns: `repeat(${fit.columns}, minmax(0, 1fr))`, gridAutoRows: `${fit.rowHeight}px`, gap: limits.gap }}
        >
          {readers.map((r) => (
            <ReaderCell key={r.reader.reader_id} entry={r} stale={stale} />
          ))}
        </ul>
      )}
    </div>
  )
}

const ReaderCell = memo(function ReaderCell({ entry, stale }: { entry: BoardReader; stale: boolean }): React.JSX.Element {
  const now = useNow()
  const { reader: r, state } = entry
  const shown = stale ? 'stale' : state
  const scan = r.last_scan ? (stale ? `scan ${clock(r.last_scan)}` : `scan ${age(r.last_scan, now)}`) : 'no scans'
  const reported = r.status && r.status !== 'connected' ? `reports “${r.status}”` : null
  return (
    <li
      className={`reader-cell tile-${shown}`}
      data-testid={`reader-${r.reader_id}`}
      data-state={shown}
      title={[r.reader_id, r.gateway_id ?? 'no gateway', reported, scan].filter(Boolean).join(' · ')}
    >
      <span className="reader-id">{r.reader_id}</span>
      <StateBadge state={shown} />
      <span className="reader-meta">
        <span className="reader-where">{r.gateway_id ?? 'no gateway'}</span>
        {reported && <span className="warn-text">{reported}</span>}
        <span className="reader-scan">{scan}</span>
      </span>
    </li>
  )
})
