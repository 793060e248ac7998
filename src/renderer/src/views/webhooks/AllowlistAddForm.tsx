import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Icon } from '../../ui/Icon'
import { Notice } from '../../ui/Panel'
import { parseAllowlistEntry } from '../../../../shared/allowlist'
import type { EndpointName } from '../../../../shared/webhooks'
import { useLockoutCheck } from './LockoutCheck'

/** Validates as the station does while typing, and shows the canonical form that will be stored. */
export function AllowlistAddForm({
  endpoint,
  current,
  onAdded,
}: {
  endpoint: EndpointName
  /** The entries the list holds now: the preview checks them plus the new one. */
  current: string[]
  onAdded: () => Promise<void>
}): React.JSX.Element {
  const first = current.length === 0
  const lockout = useLockoutCheck(endpoint)
  const [entry, setEntry] = useState('')
  const [label, setLabel] = useState('')
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const parsed = entry.trim() === '' ? null : parseAllowlistEntry(entry)
  const submit = async (): Promise<void> => {
    if (!parsed?.ok) return
    const save = async (): Promise<void> => {
      setBusy(true)
      try {
        const added = await call('allowlist:add', { endpoint, entry, label: label.trim() || undefined })
        setNotice({ kind: 'ok', text: `Added ${added.entry}${first ? '. Only listed addresses are accepted now.' : '.'}` })
        setEntry('')
        setLabel('')
        await onAdded()
      } catch (err) {
        setNotice({ kind: 'error', text: errorText(err) })
      } finally {
        setBusy(false)
      }
    }
    try {
      await lockout.check([...current, entry], save)
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }
  return (
    <>
      {/* Outside the form: the dialog's own form must not submit this one through React's tree. */}
      {lockout.dialog}
      <form
        className="tool-form"
        aria-labelledby="allowlist-add-title"
        onSubmit={(ev) => {
          ev.preventDefault()
          void submit()
        }}
      >
        <h3 id="allowlist-add-title">Add an address or range</h3>
        <div className="field-row">
          <label className="field">
            <span>IP address or CIDR</span>
            <input
              value={entry}
              onChange={(ev) => setEntry(ev.target.value)}
              placeholder="10.0.0.0/8"
              className="mono"
              aria-invalid={parsed ? !parsed.ok : undefined}
              aria-describedby="allowlist-entry-hint"
              autoComplete="off"
              spellCheck={false}
            />
          </label>
          <label className="field">
            <span>Label (optional)</span>
            <input
              value={label}
              onChange={(ev) => setLabel(ev.target.value)}
              placeholder="North gate LAN"
              maxLength={100}
              autoComplete="off"
            />
          </label>
          <button type="submit" className="btn btn-primary" disabled={busy || !parsed?.ok}>
            <Icon name="plus" />
            Add entry
          </button>
        </div>
        <p
          id="allowlist-entry-hint"
          className={`field-hint ${parsed && !parsed.ok ? 'field-error' : ''}`}
          aria-live="polite"
          data-testid="allowlist-entry-hint"
        >
          {parsed === null
            ? 'A single address (192.168.1.20) or a range (10.0.0.0/8, 2001:db8::/32).'
            : parsed.ok
              ? `✔ Will be stored as ${parsed.value.entry} (${parsed.value.family === 'ipv4' ? 'IPv4' : 'IPv6'}${parsed.value.prefix === (parsed.value.family === 'ipv4' ? 32 : 128) ? ', one address' : `, /${parsed.value.prefix} range`})`
              : `✖ ${parsed.error}`}
        </p>
        {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      </form>
    </>
  )
}
