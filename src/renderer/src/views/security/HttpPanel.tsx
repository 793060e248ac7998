// Plain HTTP on or off. Off is confirmed first (gateways still on http:// go deaf), and the station
// refuses it (CONFLICT) while HTTPS is not listening; that refusal is shown as it comes.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Panel, Notice } from '../../ui/Panel'
import { Switch } from '../../ui/Switch'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { UrlList } from '../../ui/UrlList'
import type { StationSettingsView } from '../../../../shared/station-settings'

export function HttpPanel({
  settings: s,
  onChanged,
}: {
  settings: StationSettingsView
  onChanged: (next: StationSettingsView) => void
}): React.JSX.Element {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const httpsListening = s.tls?.https_port != null

  const apply = async (enabled: boolean): Promise<void> => {
    setConfirming(false)
    setBusy(true)
    try {
      const next = await call('http:set', { enabled })
      onChanged(next)
      if (next.http_enabled !== enabled) {
        // Stored, but overridden for this run (a station started with --no-http).
        setNotice({ kind: 'error', text: 'Saved, but plain HTTP stays off until the station is restarted without --no-http.' })
      } else {
        setNotice({ kind: 'ok', text: enabled ? 'Plain HTTP is on again.' : 'Plain HTTP is off: the station answers over HTTPS only.' })
      }
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Panel title="Plain HTTP" id="http">
      <div className="setting-row">
        <Switch
          label="Plain HTTP receiver"
          checked={s.http_enabled}
          busy={busy}
          describedBy="http-explain"
          testId="http-switch"
          onChange={(next) => (next ? void apply(true) : setConfirming(true))}
        />
      </div>
      <p id="http-explain" className="hint setting-explain">
        Unencrypted webhooks on the LAN. Turn it off once every gateway posts to an HTTPS URL and pins the fingerprint.
      </p>
      {s.http_urls.length > 0 && <UrlList urls={s.http_urls} className="http-urls" />}
      {!httpsListening && s.http_enabled && <p className="hint">HTTPS is not listening, so the station keeps plain HTTP on.</p>}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {confirming && (
        <ConfirmDialog
          open
          title="Turn plain HTTP off?"
          confirmLabel="Turn HTTP off"
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => void apply(false)}
        >
          <p>
            Gateways still posting to an <code>http://</code> URL will get no answer from now on: their scans are not decided and their
            status goes silent.
          </p>
          <p>Only gateways given the HTTPS URL (and, for a self-signed certificate, its fingerprint) keep working.</p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}
