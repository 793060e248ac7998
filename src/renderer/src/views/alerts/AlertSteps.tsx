// An operator's steps on one alert: who (the desk session's name), a note, and the step — acknowledge (a note is
// required at priority 1), investigate, add a note, snooze (priorities 3–5) or resolve. The queue's
// keyboard shortcuts press these buttons (see AlertsView).
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useOperator } from '../venue/OperatorField'
import { Icon } from '../../ui/Icon'
import { SNOOZE_MIN_PRIORITY } from '../../../../shared/alerts'
import type { AlertView } from '../../../../shared/domain'

type Step = 'acknowledge' | 'investigate' | 'note' | 'snooze' | 'resolve'
const SNOOZES = [1, 5, 15, 30, 60, 240]

export function AlertSteps({
  alert: a,
  snoozeMax,
  onDone,
}: {
  alert: AlertView
  snoozeMax: number
  onDone: (a: AlertView) => void
}): React.JSX.Element {
  const snoozes = SNOOZES.filter((m) => m <= snoozeMax)
  // The session's name: the station records every step under it whatever a form sends.
  const [name] = useOperator()
  const [note, setNote] = useState('')
  const [minutes, setMinutes] = useState(() => (snoozes.includes(15) ? 15 : (snoozes[0] ?? 0)))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const id = `alert-${a.id}-step`
  const resolved = a.state === 'resolved'
  const needsNote = a.priority === 1 && a.state === 'open'

  const run = async (step: Step): Promise<void> => {
    if (name.trim() === '') {
      setError('Give your name first (top bar)')
      return
    }
    if ((step === 'note' || (step === 'acknowledge' && needsNote)) && note.trim() === '') {
      setError(step === 'note' ? 'Write the note' : 'Priority 1: write a note saying what you are doing about it')
      document.getElementById(`${id}-note`)?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const input = { id: a.id, by: name, note }
      const done =
        step === 'acknowledge'
          ? await call('alerts:acknowledge', input)
          : step === 'investigate'
            ? await call('alerts:investigate', input)
            : step === 'note'
              ? await call('alerts:note', input)
              : step === 'snooze'
                ? await call('alerts:snooze', { ...input, minutes })
                : await call('alerts:resolve', input)
      setNote('')
      onDone(done)
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="alert-steps"
      data-testid={`alert-steps-${a.id}`}
      onSubmit={(e) => {
        e.preventDefault()
        void run(a.state === 'open' || a.state === 'snoozed' ? 'acknowledge' : 'note')
      }}
    >
      <label htmlFor={`${id}-by`}>Operator name</label>
      <input id={`${id}-by`} value={name} readOnly maxLength={100} autoComplete="off" />
      <label htmlFor={`${id}-note`}>Note{needsNote && <span className="required"> (required to acknowledge priority 1)</span>}</label>
      <textarea id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={2} />
      <div className="step-buttons">
        {(a.state === 'open' || a.state === 'snoozed') && (
          <button type="button" className="btn btn-primary" data-step="acknowledge" disabled={busy} onClick={() => void run('acknowledge')}>
            <Icon name="check" />
            Acknowledge
          </button>
        )}
        {a.state === 'acknowledged' && (
          <button type="button" className="btn" data-step="investigate" disabled={busy} onClick={() => void run('investigate')}>
            Investigate
          </button>
        )}
        <button type="button" className="btn" data-step="note" disabled={busy} onClick={() => void run('note')}>
          Add note
        </button>
        {!resolved && a.priority >= SNOOZE_MIN_PRIORITY && a.state !== 'snoozed' && snoozes.length > 0 && (
          <span className="snooze">
            <label htmlFor={`${id}-minutes`} className="sr-only">
              Snooze for
            </label>
            <select id={`${id}-minutes`} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {snoozes.map((m) => (
                <option key={m} value={m}>
                  {m < 60 ? `${m} min` : `${m / 60} h`}
                </option>
              ))}
            </select>
            <button type="button" className="btn" data-step="snooze" disabled={busy} onClick={() => void run('snooze')}>
              Snooze
            </button>
          </span>
        )}
        {!resolved && (
          <button type="button" className="btn" data-step="resolve" disabled={busy} onClick={() => void run('resolve')}>
            Resolve
          </button>
        )}
      </div>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
