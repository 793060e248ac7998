// One logged request: what came in (headers, body) and a curl to replay it: re-signed when it was
// accepted, exactly as received when it was refused (never turned into a valid request).
import { useState } from 'react'
import { call } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { CopyButton } from '../../ui/CopyButton'
import { HttpStatus } from '../../ui/Badges'
import { Icon } from '../../ui/Icon'
import { Notice } from '../../ui/Panel'
import { count, dateTime, reasonText } from '../../ui/format'

export function LogDetail({ id, onClose }: { id: string; onClose: () => void }): React.JSX.Element {
  const { data: entry, error } = useDeskQuery('logs:get', { id })
  // The curl shown belongs to one entry: opening another hides it.
  const [curlOf, setCurlOf] = useState<{ id: string; command: string } | null>(null)
  const curl = curlOf?.id === id ? curlOf.command : null
  const fetchCurl = async (): Promise<string> => {
    const { command } = await call('logs:curl', { id })
    setCurlOf({ id, command })
    return command
  }
  // Refused requests (403, 413, 429…) are answered before their body is read.
  const declared = Number(entry?.headers['content-length'] ?? 0)
  const unread = entry !== null && entry.body_size === 0 && declared > 0
  return (
    <aside className="panel log-detail" aria-label={`Log entry ${id}`} data-testid="log-detail">
      <header className="panel-head">
        <h2>
          <span className="mono">{id}</span>
        </h2>
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close the entry">
          <Icon name="close" size={16} />
          Close
        </button>
      </header>
      <div className="panel-body">
        {error && <Notice kind="error">{error}</Notice>}
        {entry && (
          <>
            <div className="detail-title">
              <span className="method">{entry.method}</span>
              <span className="mono">{entry.endpoint}</span>
              <HttpStatus status={entry.status} />
            </div>
            <dl className="facts compact">
              <dt>Received</dt>
              <dd>{dateTime(entry.received_at)}</dd>
              {entry.count > 1 && (
                <>
                  <dt>Requests</dt>
                  <dd data-testid="log-detail-count">
                    {count(entry.count)} refusals from this source, aggregated
                    {entry.last_received_at && <> · the last at {dateTime(entry.last_received_at)}</>}
                  </dd>
                </>
              )}
              <dt>Source</dt>
              <dd className="mono">{entry.source_ip}</dd>
              <dt>Response time</dt>
              <dd>{entry.response_time_ms} ms</dd>
              <dt>Reason</dt>
              <dd>{entry.reason ? reasonText(entry.reason) : '—'}</dd>
              <dt>Body</dt>
              <dd>
                {unread
                  ? `not read (${count(declared)} bytes announced; refused first)`
                  : `${count(entry.body_size)} bytes${entry.body_truncated ? ' (cut: only the start is kept)' : ''}`}
              </dd>
              {entry.body_sha256 && (
                <>
                  <dt>Body SHA-256</dt>
                  <dd className="mono">{entry.body_sha256}</dd>
                </>
              )}
            </dl>
            <div className="detail-actions">
              {unread ? (
                <span className="dim">No copy-as-curl: the body was never read.</span>
              ) : entry.status < 400 ? (
                <CopyButton value={fetchCurl} label="Copy as curl (re-signed)" />
              ) : (
                <>
                  <CopyButton value={fetchCurl} label="Copy as curl (as received)" />
                  <span className="dim">Refused requests are never re-signed: this replays it with its own signature.</span>
                </>
              )}
            </div>
            {curl && (
              <pre className="code-block curl" data-testid="curl-command">
                {curl}
              </pre>
            )}
            <h3>Headers</h3>
            <table className="table headers-table">
              <tbody>
                {Object.entries(entry.headers).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row" className="mono">
                      {k}
                    </th>
                    <td className="mono">{Array.isArray(v) ? v.join(', ') : v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>Body</h3>
            <pre className="code-block" data-testid="log-body">
              {unread ? '(not read: the request was refused before its body was read)' : pretty(entry.body)}
            </pre>
          </>
        )}
      </div>
    </aside>
  )
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body || '(empty)'
  }
}
