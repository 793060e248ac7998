// The audit log: who acknowledged or changed what, with their role, before → after (secrets
// redacted at the station), when, and from which desk or the CLI. Refused attempts are listed too.
import { useDeskQuery } from '../../api/use-desk-query'
import { Panel } from '../../ui/Panel'

const short = (v: unknown): string => {
  if (v === null || v === undefined) return '—'
  const s = JSON.stringify(v)
  return s.length > 160 ? `${s.slice(0, 159)}…` : s
}

export function AuditView(): React.JSX.Element {
  const query = useDeskQuery('audit:list', { limit: 500 })
  return (
    <div data-testid="audit-view">
      <Panel title="Audit log" id="audit">
        {query.error && <p role="alert">{query.error}</p>}
        <table className="table" data-testid="audit-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Operator</th>
              <th>Role</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>From</th>
              <th>Before → after</th>
            </tr>
          </thead>
          <tbody>
            {(query.data ?? []).map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <td>{e.at.replace('T', ' ').slice(0, 19)}</td>
                <td>{e.operator}</td>
                <td>{e.role}</td>
                <td>
                  <code>{e.command}</code>
                </td>
                <td>{e.outcome === 'done' ? 'done' : `${e.outcome}${e.detail ? ` (${e.detail})` : ''}`}</td>
                <td>{e.source}</td>
                <td>
                  <code>
                    {short(e.before)} → {short(e.after)}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {query.data?.length === 0 && <p>Nothing recorded yet.</p>}
      </Panel>
    </div>
  )
}
