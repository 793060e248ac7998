import { memo, useMemo } from 'react'
import { useLive } from '../../store/LiveProvider'
import { useNow } from '../../store/use-now'
import { HealthBadge } from '../../ui/Badges'
import { Panel, Empty } from '../../ui/Panel'
import { age } from '../../ui/format'
import { href } from '../../shell/route'
import { TEST_GATEWAY_ID, type ReaderView } from '../../../../shared/domain'

/** Every reader, by gateway: health in words, the status it reported, and its last scan. */
export function ReaderGrid(): React.JSX.Element {
  const gateways = useLive((s) => s.gateways)
  const unassigned = useLive((s) => s.unassigned)
  const readers = useMemo(
    () => [...(gateways ?? []).flatMap((g) => g.readers), ...(unassigned ?? [])].filter((r) => !r.reader_id.startsWith(TEST_GATEWAY_ID)),
    [gateways, unassigned],
  )
  const degraded = readers.filter((r) => r.health === 'degraded').length
  const disabled = readers.filter((r) => !r.enabled).length
  return (
    <Panel
      title="Reader health"
      id="readers"
      actions={
        <>
          <span className="hint">
            {readers.length} readers{degraded > 0 ? ` · ${degraded} degraded` : ''}
            {disabled > 0 ? ` · ${disabled} disabled` : ''}
          </span>
          <a className="btn btn-small" href={href('webhooks', { section: 'readers' })}>
            Manage readers
          </a>
        </>
      }
    >
      {readers.length === 0 ? (
        <Empty>No readers yet.</Empty>
      ) : (
        <ul className="reader-grid">
          {readers.map((r) => (
            <ReaderCell key={r.reader_id} reader={r} />
          ))}
        </ul>
      )}
    </Panel>
  )
}

const ReaderCell = memo(function ReaderCell({ reader: r }: { reader: ReaderView }): React.JSX.Element {
  const now = useNow()
  return (
    <li className={`reader-cell reader-${r.health}${r.enabled ? '' : ' reader-disabled'}`} data-testid={`reader-${r.reader_id}`}>
      <div className="reader-head">
        <span className="reader-id">{r.reader_id}</span>
        <HealthBadge health={r.health} />
      </div>
      <div className="reader-meta">
        <span className="reader-where">{r.gateway_id ?? 'no gateway'}</span>
        {r.status && r.status !== 'connected' && <span className="warn-text">“{r.status}”</span>}
        {!r.enabled && <span className="warn-text">disabled</span>}
        <span className="reader-scan" title="Last scan">
          {r.last_scan ? `scan ${age(r.last_scan, now)}` : 'no scans'}
        </span>
      </div>
    </li>
  )
})
