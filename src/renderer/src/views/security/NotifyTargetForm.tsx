// Adding a notification target: a name, the URL (checked as the station checks it, while typing)
// and which alerts it gets.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Icon } from '../../ui/Icon'
import { Notice } from '../../ui/Panel'
import { DEFAULT_MIN_PRIORITY, parseTargetUrl } from '../../../../shared/notify'
import { PriorityPicker } from './PriorityPicker'

export function NotifyTargetForm({ onAdded }: { onAdded: (name: string) => Promise<void> }): React.JSX.Element {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [minPriority, setMinPriority] = useState<number>(DEFAULT_MIN_PRIORITY)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const parsed = url.trim() === '' ? null : parseTargetUrl(url)

  const submit = async (): Promise<void> => {
    if (!parsed?.ok || name.trim() === '') return
    setBusy(true)
    try {
      const added = await call('notify:add', { name: name.trim(), url, min_priority: minPriority })
      setNotice({ kind: 'ok', text: `Added ${added.name}. Reveal its secret and give it to the receiver; then send a test.` })
      setName('')
      setUrl('')
      await onAdded(added.name)
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="tool-form notify-form"
      aria-labelledby="notify-add-title"
      onSubmit={(ev) => {
        ev.preventDefault()
        void submit()
      }}
    >
      <h3 id="notify-add-title">Add a target</h3>
      <div className="field-row">
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            onChange={(ev) => setName(ev.target.value)}
            placeholder="night-supervisors"
            maxLength={64}
            autoComplete="off"
          />
        </label>
        <label className="field notify-url">
          <span>URL</span>
          <input
            value={url}
            onChange={(ev) => setUrl(ev.target.value)}
            placeholder="https://relay.example/gatehouse"
            className="mono"
            aria-invalid={parsed ? !parsed.ok : undefined}
            aria-describedby="notify-url-hint"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <PriorityPicker value={minPriority} onChange={setMinPriority} label="Alerts sent" />
        <button type="submit" className="btn btn-primary" disabled={busy || !parsed?.ok || name.trim() === ''}>
          <Icon name="plus" />
          Add target
        </button>
      </div>
      <p id="notify-url-hint" className={`field-hint ${parsed && !parsed.ok ? 'field-error' : ''}`} aria-live="polite">
        {parsed === null
          ? 'Each alert change is POSTed there as JSON, signed the Standard Webhooks way (webhook-signature).'
          : parsed.ok
            ? `✔ ${parsed.url.startsWith('http:') ? 'Plain HTTP: anyone on the way can read the alerts. Prefer https://.' : 'Checked against the system trust store.'}`
            : `✖ ${parsed.error}`}
      </p>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </form>
  )
}
