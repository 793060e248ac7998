// Admin settings per alert kind: its priority (1 most urgent … 5), the instructions shown with its
// alerts, and its reactivation window (a resolved alert recurring within it reopens). Saved with the
// admin's name; a new priority applies to the kind's open alerts at once.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useOperator } from '../venue/OperatorField'
import { Panel } from '../../ui/Panel'
import { ALERT_KIND_WORDS } from '../../ui/format'
import type { AlertKindSettings } from '../../../../shared/alerts'

export function AlertKindsPanel({ kinds, onSaved }: { kinds: AlertKindSettings[] | null; onSaved: () => void }): React.JSX.Element {
  const [open, setOpen] = useState(false)
  return (
    <Panel
      title="Alert kinds: priority, instructions, reactivation"
      id="alert-kinds"
      actions={
        <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide' : 'Edit'}
        </button>
      }
    >
      {open && kinds && (
        <ul className="kind-list">
          {kinds.map((k) => (
            <KindRow key={`${k.kind}:${k.updated_at ?? ''}:${k.customised}`} settings={k} onSaved={onSaved} />
          ))}
        </ul>
      )}
      {!open && <p className="hint">Each kind&apos;s priority orders the queue and decides which notification targets hear of it.</p>}
    </Panel>
  )
}

function KindRow({ settings: k, onSaved }: { settings: AlertKindSettings; onSaved: () => void }): React.JSX.Element {
  const [operator] = useOperator()
  const [priority, setPriority] = useState(k.priority)
  const [instructions, setInstructions] = useState(k.instructions)
  const [reactivation, setReactivation] = useState(String(k.reactivation_minutes))
  const [snoozeMax, setSnoozeMax] = useState(String(k.snooze_max_minutes))
  const [status, setStatus] = useState<string | null>(null)
  const id = `kind-${k.kind}`
  const save = async (reset = false): Promise<void> => {
    setStatus(null)
    if (operator.trim() === '') return setStatus('Give your name first (top bar)')
    const minutes = Number(reactivation)
    if (!Number.isInteger(minutes) || minutes < 0) return setStatus('Reactivation: whole minutes, 0 or more')
    const longest = Number(snoozeMax)
    if (!Number.isInteger(longest) || longest < 0) return setStatus('Longest snooze: whole minutes, 0 or more')
    try {
      await call('alerts:configure-kind', {
        kind: k.kind,
        priority,
        instructions,
        reactivation_minutes: minutes,
        snooze_max_minutes: longest,
        reset,
        by: operator,
      })
      setStatus('Saved')
      onSaved()
    } catch (err) {
      setStatus(errorText(err))
    }
  }
  return (
    <li className="kind-row" data-testid={id}>
      <strong>{ALERT_KIND_WORDS[k.kind]}</strong>
      <label htmlFor={`${id}-priority`}>Priority</label>
      <select id={`${id}-priority`} value={priority} onChange={(e) => setPriority(Number(e.target.value))}>
        {[1, 2, 3, 4, 5].map((p) => (
          <option key={p} value={p}>
            P{p}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-reactivation`}>Reactivation window (min)</label>
      <input
        id={`${id}-reactivation`}
        inputMode="numeric"
        value={reactivation}
        onChange={(e) => setReactivation(e.target.value)}
        size={5}
      />
      <label htmlFor={`${id}-snooze`}>Longest snooze (min{priority < 3 ? ', never at P1–2' : ''})</label>
      <input id={`${id}-snooze`} inputMode="numeric" value={snoozeMax} onChange={(e) => setSnoozeMax(e.target.value)} size={5} />
      <label htmlFor={`${id}-instructions`}>Instructions</label>
      <textarea
        id={`${id}-instructions`}
        value={instructions}
        onChange={(e) => setInstructions(e.target.value)}
        maxLength={2000}
        rows={2}
      />
      <button type="button" className="btn btn-small" onClick={() => void save()}>
        Save
      </button>
      {k.customised && (
        <button type="button" className="btn btn-small" onClick={() => void save(true)}>
          Reset to default
        </button>
      )}
      {status && <span role="status">{status}</span>}
    </li>
  )
}
