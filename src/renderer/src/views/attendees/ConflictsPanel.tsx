// Credentials claimed by more than one person: denied to all of them until an admin says whose
// each one is. Shown above the attendee list only while there are any.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { useOperator } from '../venue/OperatorField'
import { Panel, Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { dateTime } from '../../ui/format'
import type { CredentialConflictView } from '../../../../shared/domain'

export function ConflictsPanel(): React.JSX.Element | null {
  const alerts = useLive((s) => s.versions.alerts)
  const sync = useLive((s) => s.versions.sync)
  const { data: conflicts, error, reload } = useDeskQuery('credentials:conflicts', {}, { refreshOn: [alerts, sync] })
  const [operator] = useOperator()
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  if (!conflicts || (conflicts.length === 0 && !notice && !error)) return null

  const resolve = async (c: CredentialConflictView, keep: string | null): Promise<void> => {
    try {
      await call('credentials:resolve', { project: c.project, credential: c.credential, keep, by: operator })
      setNotice({ kind: 'ok', text: keep ? `${c.credential} is ${keep}'s now.` : `${c.credential} is nobody's now.` })
      await reload()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel
      title={
        <>
          <Icon name="critical" size={20} /> Credential conflicts
        </>
      }
      id="credential-conflicts"
      className="panel-alarm"
      actions={<span className="hint">denied to everyone until you say whose each one is</span>}
    >
      {error && <Notice kind="error">{error}</Notice>}
      <label className="field inline-field">
        <span>Operator name</span>
        <input value={operator} readOnly aria-label="Operator name for conflicts" />
      </label>
      <ul className="conflict-list" data-testid="credential-conflicts">
        {conflicts.map((c) => (
          <li key={c.id}>
            <strong className="mono">{c.credential}</strong> in <span className="mono">{c.project}</span>, since {dateTime(c.raised_at)}:{' '}
            claimed by {c.holders.map((h) => (h.kind === 'attendee' ? h.id : `Cvent registration ${h.id}`)).join(', ')}
            <div className="conflict-actions">
              {c.holders
                .filter((h) => h.kind === 'attendee')
                .map((h) => (
                  <button
                    key={h.id}
                    type="button"
                    className="btn btn-small"
                    disabled={!operator.trim()}
                    onClick={() => void resolve(c, h.id)}
                  >
                    It is {h.id}'s
                  </button>
                ))}
              <button type="button" className="btn btn-small" disabled={!operator.trim()} onClick={() => void resolve(c, null)}>
                Nobody's
              </button>
            </div>
          </li>
        ))}
      </ul>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </Panel>
  )
}
