// Replacing an endpoint's whole allowlist in one step (one commit at the station: the receiver
// never sees an empty list in between). Leaving it empty means any source is accepted, so that
// takes a second, explicit confirmation.
import { useState } from 'react'
import { DeskCallError, call, errorText } from '../../api/desk'
import { Icon } from '../../ui/Icon'
import { useLockoutCheck } from './LockoutCheck'
import { Notice } from '../../ui/Panel'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import type { WebhookEndpointView } from '../../../../shared/contract'

/** "10.0.0.0/8 North gate" → the entry and its label; blank lines and #comments are skipped. */
export function parseAllowlistLines(text: string): Array<{ entry: string; label?: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const space = l.search(/\s/)
      return space < 0 ? { entry: l } : { entry: l.slice(0, space), label: l.slice(space + 1).trim() }
    })
}

export function AllowlistReplace({
  endpoint: e,
  onChanged,
}: {
  endpoint: WebhookEndpointView
  onChanged: () => Promise<void>
}): React.JSX.Element {
  const [step, setStep] = useState<'closed' | 'edit' | 'confirm-open'>('closed')
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const begin = (): void => {
    setText(e.allowlist.map((a) => (a.label ? `${a.entry} ${a.label}` : a.entry)).join('\n'))
    setError(null)
    setStep('edit')
  }
  const lockout = useLockoutCheck(e.endpoint)
  const save = async (open: boolean): Promise<void> => {
    const entries = parseAllowlistLines(text)
    if (entries.length === 0 && e.allowlist.length > 0 && !open) {
      setStep('confirm-open')
      return
    }
    try {
      await lockout.check(
        entries.map((x) => x.entry),
        () => commit(entries, open),
      )
    } catch (err) {
      setError(errorText(err))
    }
  }
  const commit = async (entries: ReturnType<typeof parseAllowlistLines>, open: boolean): Promise<void> => {
    setBusy(true)
    try {
      await call('allowlist:set', { endpoint: e.endpoint, entries, open })
      setStep('closed')
      setError(null)
      await onChanged()
    } catch (err) {
      if (err instanceof DeskCallError && err.code === 'CONFIRMATION_REQUIRED') setStep('confirm-open')
      else {
        setError(errorText(err))
        setStep('edit')
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {lockout.dialog}
      <button type="button" className="btn btn-small" onClick={begin}>
        <Icon name="rotate" size={16} />
        Replace list…
      </button>
      {step === 'edit' && (
        <ConfirmDialog
          open
          title={`Replace the allowlist of ${e.path}`}
          confirmLabel="Replace list"
          busy={busy}
          onCancel={() => setStep('closed')}
          onConfirm={() => void save(false)}
        >
          <label className="field">
            <span>One address or range per line, optionally followed by a label</span>
            <textarea
              className="mono"
              rows={8}
              value={text}
              onChange={(ev) => setText(ev.target.value)}
              spellCheck={false}
              aria-describedby="allowlist-replace-hint"
            />
          </label>
          <p id="allowlist-replace-hint" className="field-hint">
            The new list takes effect in one step: no request is let in by an empty list in between.
          </p>
          {error && <Notice kind="error">{error}</Notice>}
        </ConfirmDialog>
      )}
      {step === 'confirm-open' && (
        <ConfirmDialog
          open
          danger
          title={`Accept any source on ${e.path}?`}
          confirmLabel="Empty the list: accept any source"
          busy={busy}
          onCancel={() => setStep('edit')}
          onConfirm={() => void save(true)}
        >
          <p data-testid="allowlist-open-warning">
            With no entries, {e.path} accepts requests from any source address (they still need a valid signature).
          </p>
        </ConfirmDialog>
      )}
    </>
  )
}
