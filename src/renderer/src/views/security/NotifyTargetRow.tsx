// One notification target: where it goes, its secret (masked until revealed), how its deliveries
// are going, and its actions: test, change the filter, remove.
import { useEffect, useState } from 'react'
import { call, errorText } from '../../api/desk'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { Notice } from '../../ui/Panel'
import { age } from '../../ui/format'
import type { NotifyTargetView } from '../../../../shared/notify'
import { PriorityPicker } from './PriorityPicker'

const REVEAL_MS = 60_000

export function NotifyTargetRow(props: {
  target: NotifyTargetView
  now: number
  onChanged: () => Promise<void>
  onRemove: (t: NotifyTargetView) => void
}): React.JSX.Element {
  const { target: t, now } = props
  const [revealed, setRevealed] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)

  // A revealed secret hides itself again: the desk is in view of the public.
  useEffect(() => {
    if (revealed === null) return
    const timer = setTimeout(() => setRevealed(null), REVEAL_MS)
    return () => clearTimeout(timer)
  }, [revealed])

  const reveal = async (): Promise<string> => (await call('notify:reveal', { id: t.id })).secret
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try {
      await action()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }
  const test = (): Promise<void> =>
    run(async () => {
      const r = await call('notify:test', { id: t.id })
      setNotice(
        r.ok
          ? { kind: 'ok', text: `Test delivered: ${t.name} answered ${r.status} in ${r.duration_ms} ms.` }
          : { kind: 'error', text: `Test failed: ${r.error ?? 'no answer'}` },
      )
      await props.onChanged()
    })
  const setPriority = (min: number): Promise<void> =>
    run(async () => {
      await call('notify:update', { id: t.id, min_priority: min })
      await props.onChanged()
    })

  const failing = t.last_error !== null
  return (
    <li className={`notify-target ${failing ? 'notify-failing' : ''}`} data-testid="notify-target" aria-label={t.name}>
      <div className="notify-head">
        <strong>{t.name}</strong>
        <code className="mono notify-target-url">{t.url}</code>
      </div>
      <div className="secret-row">
        <code className="secret-value" data-testid="notify-secret" aria-label={revealed ? 'Secret' : 'Secret, masked'}>
          {revealed ?? t.secret_masked}
        </code>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void run(async () => setRevealed(revealed === null ? await reveal() : null))}
          aria-pressed={revealed !== null}
        >
          <Icon name={revealed ? 'eyeOff' : 'eye'} size={16} />
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <CopyButton value={reveal} label="Copy secret" className="btn-small" />
      </div>
      <p className="notify-health" data-testid="notify-health">
        {t.last_attempt_at === null ? (
          <span className="dim">Not called yet.</span>
        ) : failing ? (
          <span className="notify-error">
            <Icon name="warning" size={16} /> Failing{t.failing_since ? ` since ${age(t.failing_since, now)}` : ''}: {t.last_error}
          </span>
        ) : (
          <span>
            <Icon name="check" size={16} /> Delivered {age(t.last_success_at, now)}
          </span>
        )}
        <span className="dim">
          {t.pending} waiting{t.given_up > 0 ? ` · ${t.given_up} given up after a day` : ''}
          {t.last_attempt_at !== null ? ` · last attempt ${age(t.last_attempt_at, now)}` : ''}
        </span>
      </p>
      <div className="notify-actions">
        <PriorityPicker value={t.min_priority} onChange={(p) => void setPriority(p)} label={`Alerts sent to ${t.name}`} hideLabel />
        <button type="button" className="btn btn-small" onClick={() => void test()} disabled={busy}>
          <Icon name="send" size={16} />
          Send test
        </button>
        <button type="button" className="btn btn-small btn-danger-quiet" onClick={() => props.onRemove(t)} aria-label={`Remove ${t.name}`}>
          <Icon name="trash" size={16} />
          Remove
        </button>
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </li>
  )
}
