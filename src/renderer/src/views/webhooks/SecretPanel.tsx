// The endpoint's signing secret: masked until revealed, copyable, rotatable with or without grace.
import { useEffect, useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Panel, Notice } from '../../ui/Panel'
import { CopyButton } from '../../ui/CopyButton'
import { Icon } from '../../ui/Icon'
import { dateTime, until } from '../../ui/format'
import { useNow } from '../../store/use-now'
import type { WebhookEndpointView } from '../../../../shared/contract'
import { RotateDialog } from './RotateDialog'

const REVEAL_MS = 60_000

export function SecretPanel(props: {
  endpoint: WebhookEndpointView
  defaultGraceHours: number | null
  onChanged: () => Promise<void>
}): React.JSX.Element {
  const { endpoint: e, onChanged } = props
  const now = useNow()
  const [revealed, setRevealed] = useState<string | null>(null)
  const [rotating, setRotating] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const s = e.secret

  // A revealed secret hides itself again: the desk is in view of the public.
  useEffect(() => {
    if (revealed === null) return
    const t = setTimeout(() => setRevealed(null), REVEAL_MS)
    return () => clearTimeout(t)
  }, [revealed])

  const reveal = async (): Promise<string> => (await call('secret:reveal', { endpoint: e.endpoint })).secret
  const toggle = async (): Promise<void> => {
    try {
      setRevealed(revealed === null ? await reveal() : null)
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }
  const rotated = async (graceHours: number | null): Promise<void> => {
    setRotating(false)
    try {
      const summary = await call(
        'secret:rotate',
        graceHours === null ? { endpoint: e.endpoint } : { endpoint: e.endpoint, grace_hours: graceHours },
      )
      setRevealed(await reveal())
      setNotice({
        kind: 'ok',
        text:
          graceHours === 0
            ? 'Secret rotated. The old secret was revoked: requests signed with it now fail with 401.'
            : `Secret rotated. The old secret stays valid until ${dateTime(summary.previous_valid_until)}.`,
      })
      await onChanged()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel title="Signing secret" id="secret">
      <div className="secret-row">
        <code className="secret-value" data-testid="secret-value" aria-label={revealed ? 'Secret' : 'Secret, masked'}>
          {revealed ?? s.masked}
        </code>
        <button type="button" className="btn" onClick={() => void toggle()} aria-pressed={revealed !== null}>
          <Icon name={revealed ? 'eyeOff' : 'eye'} />
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <CopyButton value={reveal} label="Copy secret" />
        <button type="button" className="btn btn-warn" onClick={() => setRotating(true)} disabled={s.origin === 'env'}>
          <Icon name="rotate" />
          Rotate…
        </button>
      </div>
      <p className="dim">
        {s.origin === 'env'
          ? `Set by the environment variable ${s.env_var}: change it there and restart the station.`
          : `Created ${dateTime(s.created_at)}. ${props.defaultGraceHours === null ? '' : ` A rotation keeps the previous secret valid for ${props.defaultGraceHours} h unless you revoke it at once.`}`}
      </p>
      {s.previous_valid_until && (
        <p className="grace-line" data-testid="secret-grace">
          <Icon name="rotate" size={16} />
          <span>
            Previous secret accepted until <strong>{dateTime(s.previous_valid_until)}</strong> ({until(s.previous_valid_until, now)}):
            gateways not yet given the new secret keep working until then.
          </span>
        </p>
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {rotating && (
        <RotateDialog
          open
          endpoint={e.endpoint}
          graceHours={props.defaultGraceHours}
          onCancel={() => setRotating(false)}
          onConfirm={(h) => void rotated(h)}
        />
      )}
    </Panel>
  )
}
