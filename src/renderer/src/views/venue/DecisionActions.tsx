// What an officer can do about a denied scan, from its feed row: admit the person once (past a
// check an officer may forgive), or forgive an anti-passback denial (they count as outside).
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { clock } from '../../ui/format'
import type { DecisionView } from '../../../../shared/domain'
import type { DecisionReason } from '../../../../shared/webhooks'
import { OperatorField, useOperator } from './OperatorField'

/** Mirrors the station's list (decision-rules.ts): what an override may grant past. */
const FORGIVABLE: ReadonlySet<DecisionReason> = new Set([
  'outside_window',
  'unknown_credential',
  'cancelled',
  'not_permitted',
  'anti_passback',
  'duplicate_scan',
])

export const canAdmit = (d: DecisionView): boolean => !d.access_granted && FORGIVABLE.has(d.reason)

export type DecisionAction = { kind: 'admit' | 'forgive'; decision: DecisionView }

export function DecisionActionButtons({
  decision: d,
  onAction,
}: {
  decision: DecisionView
  onAction: (a: DecisionAction) => void
}): React.JSX.Element | null {
  if (!canAdmit(d)) return null
  return (
    <span className="feed-actions">
      <button type="button" className="btn btn-small" onClick={() => onAction({ kind: 'admit', decision: d })}>
        Admit once
      </button>
      {d.reason === 'anti_passback' && (
        <button type="button" className="btn btn-small" onClick={() => onAction({ kind: 'forgive', decision: d })}>
          Forgive
        </button>
      )}
    </span>
  )
}

export function DecisionActionDialog({
  action,
  onDone,
}: {
  action: DecisionAction
  onDone: (message: string | null) => void
}): React.JSX.Element {
  const [operator] = useOperator()
  const [minutes, setMinutes] = useState('5')
  const [error, setError] = useState<string | null>(null)
  const d = action.decision
  const who = d.attendee ? `${d.attendee.first_name} ${d.attendee.last_name}` : d.credential_value
  const confirm = async (): Promise<void> => {
    try {
      if (action.kind === 'admit') {
        const o = await call('overrides:admit', {
          reader_id: d.reader_id,
          credential: d.credential_value,
          minutes: Number(minutes),
          by: operator,
        })
        onDone(`${who} is admitted once at ${d.reader_id} until ${clock(o.expires_at)}: scan again.`)
      } else {
        await call('decisions:forgive', { decision_id: d.id, by: operator })
        onDone(`${who} now counts as outside${d.zone ? ` ${d.zone}` : ''}: the next entry is let in.`)
      }
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <ConfirmDialog
      open
      title={action.kind === 'admit' ? `Admit ${who} once at ${d.reader_id}?` : `Forgive ${who}'s anti-passback?`}
      confirmLabel={action.kind === 'admit' ? 'Admit once' : 'Forgive'}
      onCancel={() => onDone(null)}
      onConfirm={() => void confirm()}
    >
      {action.kind === 'admit' ? (
        <>
          <p>
            The next scan of {d.credential_value} at {d.reader_id} is granted (reason “override”, under your name) if it comes within:
          </p>
          <label className="field">
            <span>Minutes</span>
            <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
          </label>
        </>
      ) : (
        <p>
          The station will count {who} as outside{d.zone ? ` ${d.zone}` : ''}, so their next entry is not refused as a second one.
        </p>
      )}
      <OperatorField />
      {error && <p className="notice notice-error">{error}</p>}
    </ConfirmDialog>
  )
}
