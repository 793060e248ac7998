import { HttpStatus } from '../../ui/Badges'
import { Empty } from '../../ui/Panel'
import { count, dateTime, reasonText } from '../../ui/format'
import type { WebhookLogRecord } from '../../../../shared/log'

export function LogTable(props: {
  rows: WebhookLogRecord[] | null
  selected: string | null
  onSelect: (id: string) => void
}): React.JSX.Element {
  if (props.rows === null) return <p className="loading">Loading…</p>
  if (props.rows.length === 0) return <Empty>No requests match this filter.</Empty>
  return (
    <div className="table-scroll">
      <table className="table log-table" data-testid="log-table">
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Endpoint</th>
            <th scope="col">Status</th>
            <th scope="col">Source</th>
            <th scope="col" className="num">
              ms
            </th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.id} aria-selected={props.selected === r.id} onClick={() => props.onSelect(r.id)} data-testid="log-row">
              <td>
                <button type="button" className="link-button" onClick={() => props.onSelect(r.id)} aria-label={`Open ${r.id}`}>
                  {dateTime(r.received_at)}
                </button>
                {r.late && (
                  <span className="late" title="The request's own timestamp was much older than its arrival">
                    late
                  </span>
                )}
                {r.clock_ahead && (
                  <span
                    className="late"
                    title="The request's own timestamp was ahead of the station's clock by more than the allowed skew: it was ordered by its arrival"
                  >
                    clock ahead
                  </span>
                )}
              </td>
              <td className="mono">{r.endpoint.replace('/webhook/v1/', '…/')}</td>
              <td>
                <HttpStatus status={r.status} />
                {r.count > 1 && (
                  <span
                    className="aggregate-count"
                    data-testid="log-count"
                    title={`${count(r.count)} refused requests from this source, aggregated${r.last_received_at ? `; the last at ${dateTime(r.last_received_at)}` : ''}`}
                  >
                    ×{count(r.count)}
                  </span>
                )}
              </td>
              <td className="mono">{r.source_ip}</td>
              <td className="num">{r.response_time_ms}</td>
              <td className="reason">{reasonText(r.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
