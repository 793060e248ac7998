import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useOperator } from '../venue/OperatorField'
import { useNow } from '../../store/use-now'
import { SeverityBadge } from '../../ui/Badges'
import { Icon } from '../../ui/Icon'
import { ALERT_KIND_WORDS, age, dateTime } from '../../ui/format'
import type { AlertView } from '../../../../shared/domain'

export function AlertRow({ alert: a, onAcknowledged }: { alert: AlertView; onAcknowledged: (a: AlertView) => void }): React.JSX.Element {
  const now = useNow()
  return (
    <li
      className={`alert-row alert-${a.severity}${a.resolved_at ? ' is-resolved' : ''}${a.acknowledged_at ? ' is-acked' : ''}`}
      data-testid={`alert-${a.id}`}
    >
      <div className="alert-main">
        <div className="alert-title">
          <SeverityBadge severity={a.severity} />
          <span className="alert-kind">{ALERT_KIND_WORDS[a.kind] ?? a.kind}</span>
          <span className="alert-subject mono">{a.subject}</span>
        </div>
        <p className="alert-message">{a.message}</p>
        <p className="alert-times dim">
          Raised {dateTime(a.raised_at)} ({age(a.raised_at, now)}){a.resolved_at && <> · Resolved {dateTime(a.resolved_at)}</>}
        </p>
      </div>
      <div className="alert-ack">
        {a.acknowledged_at ? (
          <p className="acked">
            <Icon name="check" /> Acknowledged by <strong>{a.acknowledged_by}</strong> at {dateTime(a.acknowledged_at)}
          </p>
        ) : a.resolved_at ? (
          <p className="dim">Resolved without acknowledgement</p>
        ) : (
          <AckForm alert={a} onAcknowledged={onAcknowledged} />
        )}
      </div>
    </li>
  )
}

function AckForm({ alert, onAcknowledged }: { alert: AlertView; onAcknowledged: (a: AlertView) => void }): React.JSX.Element {
  // The desk session's name: the station records the acknowledgement under it.
  const [name] = useOperator()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const id = `ack-${alert.id}`
  const submit = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      const done = await call('alerts:acknowledge', { id: alert.id, by: name })
      onAcknowledged(done)
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="ack-form"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label htmlFor={id}>Operator name</label>
      <input
        id={id}
        value={name}
        readOnly
        maxLength={100}
        autoComplete="off"
        required
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === ''}>
        <Icon name="check" />
        Acknowledge
      </button>
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
