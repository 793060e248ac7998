import { Panel } from '../../ui/Panel'
import { bytes, dateTime } from '../../ui/format'
import type { RetentionView } from '../../../../shared/station-settings'

/** How long logs and decisions are kept, and how full the store is against its size limit. */
export function RetentionPanel({ retention: r }: { retention: RetentionView }): React.JSX.Element {
  const max = r.max_mb * 1_000_000
  const ratio = max > 0 ? Math.min(1, r.store_used_bytes / max) : 0
  return (
    <Panel title="Retention" id="retention">
      <dl className="facts compact retention-facts" data-testid="retention">
        <dt>Kept for</dt>
        <dd>
          {r.days} day{r.days === 1 ? '' : 's'}
        </dd>
        <dt>Store used</dt>
        <dd>
          {bytes(r.store_used_bytes)} of {r.max_mb} MB ({ratio > 0 && ratio < 0.01 ? '<1' : Math.round(ratio * 100)}%)
          <meter className="store-meter" min={0} max={1} low={0.7} high={0.9} optimum={0.2} value={ratio} aria-label="Store used" />
        </dd>
        <dt>Oldest log</dt>
        <dd>{dateTime(r.oldest_log_at)}</dd>
        <dt>Oldest decision</dt>
        <dd>{dateTime(r.oldest_decision_at)}</dd>
      </dl>
      <p className="hint">Older logs and decisions are pruned in small steps, without holding up requests.</p>
    </Panel>
  )
}
