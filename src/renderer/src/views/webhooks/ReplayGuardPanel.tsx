// The endpoint's replay guard: on/off and its window. GxP signs the body only, so without it a
// captured request can be sent again and is accepted again.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Panel, Notice } from '../../ui/Panel'
import { Switch } from '../../ui/Switch'
import { Icon } from '../../ui/Icon'
import type { WebhookEndpointView } from '../../../../shared/contract'
import { parseReplayWindow } from './replay-window'

export function ReplayGuardPanel({
  endpoint: e,
  onChanged,
}: {
  endpoint: WebhookEndpointView
  onChanged: () => Promise<void>
}): React.JSX.Element {
  const g = e.replay_guard
  // Follows the station's window until the admin types here.
  const [draft, setDraft] = useState<string | null>(null)
  const text = draft ?? String(g.window_seconds)
  const parsed = parseReplayWindow(text)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const timestamped = e.endpoint !== 'attendee-sync'

  const apply = async (enabled: boolean): Promise<void> => {
    if (!parsed.ok) return
    setBusy(true)
    try {
      const next = await call('replay:set', { endpoint: e.endpoint, enabled, window_seconds: parsed.value })
      setDraft(null)
      setNotice({
        kind: 'ok',
        text: next.enabled
          ? `Replay guard on: repeats within ${next.window_seconds} s are refused with 409.`
          : 'Replay guard off: repeated bodies are accepted again.',
      })
      await onChanged()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Panel title="Replay guard" id="replay-guard">
      <div className="setting-row">
        <Switch
          label="Refuse replayed requests"
          checked={g.enabled}
          busy={busy}
          disabled={!parsed.ok}
          describedBy="replay-explain"
          testId="replay-switch"
          onChange={(next) => void apply(next)}
        />
        <form
          className="window-form"
          onSubmit={(ev) => {
            ev.preventDefault()
            void apply(g.enabled)
          }}
        >
          <label className="field">
            <span>Window in seconds (1–3600)</span>
            <input
              className="window-input"
              inputMode="numeric"
              value={text}
              onChange={(ev) => setDraft(ev.target.value)}
              aria-invalid={!parsed.ok}
              aria-describedby="replay-window-hint"
              autoComplete="off"
            />
          </label>
          <button type="submit" className="btn" disabled={busy || !parsed.ok || parsed.value === g.window_seconds}>
            <Icon name="check" />
            Apply window
          </button>
        </form>
      </div>
      <p id="replay-window-hint" className="field-error" aria-live="polite">
        {!parsed.ok && `✖ ${parsed.error}`}
      </p>
      <p id="replay-explain" className="hint setting-explain">
        {timestamped
          ? `Refuses with 409 a body already accepted, or stamped more than ±${g.window_seconds} s off the station's clock: GxP signs the body only.`
          : `Refuses with 409 a body already accepted in the last ${g.window_seconds} s (syncs carry no timestamp): GxP signs the body only.`}
      </p>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
    </Panel>
  )
}
