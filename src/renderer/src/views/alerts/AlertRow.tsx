// One alert in the queue: priority and state, what happened, the instructions for its kind, the
// notes history (who did what), and the operator's steps.
import { useState } from 'react'
import { useNow } from '../../store/use-now'
import { useDeskQuery } from '../../api/use-desk-query'
import { SeverityBadge } from '../../ui/Badges'
import { ALERT_KIND_WORDS, age, dateTime } from '../../ui/format'
import type { AlertView } from '../../../../shared/domain'
import { AlertSteps } from './AlertSteps'

const STATE_WORDS: Record<AlertView['state'], string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
}

export function AlertRow(props: {
  alert: AlertView
  instructions: string
  /** The longest snooze its kind allows (minutes). */
  snoozeMax: number
  selected: boolean
  onSelect: () => void
  onChanged: (a: AlertView) => void
}): React.JSX.Element {
  const { alert: a, instructions, selected } = props
  const now = useNow()
  // A note changes nothing on the alert itself: its history is refetched after each step taken here.
  const [steps, setSteps] = useState(0)
  return (
    <li
      className={`alert-row alert-${a.severity} priority-${a.priority} state-${a.state}${a.resolved_at ? ' is-resolved' : ''}${a.acknowledged_at ? ' is-acked' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`alert-${a.id}`}
      aria-current={selected ? 'true' : undefined}
      onClick={props.onSelect}
      onFocus={props.onSelect}
    >
      <div className="alert-main">
        <div className="alert-title">
          <span className={`badge priority p${a.priority}`} title="Priority (1 is the most urgent)">
            P{a.priority}
          </span>
          <SeverityBadge severity={a.severity} />
          <span className="alert-kind">{ALERT_KIND_WORDS[a.kind] ?? a.kind}</span>
          <span className="alert-subject mono">{a.subject}</span>
          <span className={`badge state state-${a.state}`} data-testid="alert-state">
            {STATE_WORDS[a.state]}
          </span>
          {a.occurrences > 1 && <span className="badge occurrences">×{a.occurrences}</span>}
        </div>
        <p className="alert-message">{a.message}</p>
        {a.top_errors && a.top_errors.length > 0 && (
          <ul className="alert-top-errors">
            {a.top_errors.map((e) => (
              <li key={e.error}>
                <span className="mono">{e.error}</span> ×{e.count}
              </li>
            ))}
          </ul>
        )}
        {instructions && (
          <p className="alert-instructions" data-testid="alert-instructions">
            <strong>Instructions:</strong> {instructions}
          </p>
        )}
        <p className="alert-times dim">
          Raised {dateTime(a.raised_at)} ({age(a.raised_at, now)})
          {a.acknowledged_at && (
            <>
              {' '}
              · Acknowledged by <strong>{a.acknowledged_by}</strong> at {dateTime(a.acknowledged_at)}
            </>
          )}
          {a.investigating_by && <> · Investigating: {a.investigating_by}</>}
          {a.snoozed_until && <> · Snoozed until {dateTime(a.snoozed_until)}</>}
          {a.resolved_at && (
            <>
              {' '}
              · Resolved {dateTime(a.resolved_at)}
              {a.resolved_by && a.resolved_by !== 'station' ? ` by ${a.resolved_by}` : ''}
            </>
          )}
        </p>
        {selected && <AlertHistory alert={a} steps={steps} />}
      </div>
      <div className="alert-ack">
        <AlertSteps
          alert={a}
          snoozeMax={props.snoozeMax}
          onDone={(done) => {
            setSteps((n) => n + 1)
            props.onChanged(done)
          }}
        />
      </div>
    </li>
  )
}

function AlertHistory({ alert: a, steps }: { alert: AlertView; steps: number }): React.JSX.Element {
  // Refetched whenever the alert itself changes (a step, a note from another desk or the CLI).
  const { data, error } = useDeskQuery('alerts:history', { id: a.id }, { refreshOn: [JSON.stringify(a), steps] })
  return (
    <div className="alert-history" data-testid={`alert-history-${a.id}`}>
      <h3>History</h3>
      {error && <p className="field-error">{error}</p>}
      {data && (
        <ol>
          {data.map((n) => (
            <li key={n.id}>
              <span className="dim">{dateTime(n.at)}</span> <strong>{n.by}</strong> {n.action}
              {n.note && <>: {n.note}</>}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
