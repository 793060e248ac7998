// Station security (Project Settings › Station security): the HTTPS certificate gateways pin,
// plain HTTP on/off, the replay guards, how secrets are kept, retention, notification targets, and
// the run-time settings.
import type { StationSettingsState } from './use-station-settings'
import { TlsPanel } from './TlsPanel'
import { HttpPanel } from './HttpPanel'
import { ReplayGuardsSummary } from './ReplayGuardsSummary'
import { SecretsStoragePanel } from './SecretsStoragePanel'
import { RetentionPanel } from './RetentionPanel'
import { NotificationsPanel } from './NotificationsPanel'
import { RuntimeSettingsPanel } from './RuntimeSettingsPanel'

export function SecurityView({ state }: { state: StationSettingsState }): React.JSX.Element {
  const s = state.settings
  if (!s) return <p className="loading">Loading…</p>
  return (
    <div className="security-layout" data-testid="security-view">
      <div className="security-main">
        <TlsPanel tls={s.tls} />
        <NotificationsPanel />
      </div>
      <div className="security-side">
        <HttpPanel settings={s} onChanged={state.replace} />
        <ReplayGuardsSummary settings={s} />
        <SecretsStoragePanel secrets={s.secrets} />
        <RetentionPanel retention={s.retention} />
      </div>
      <div className="security-wide">
        <RuntimeSettingsPanel />
      </div>
    </div>
  )
}
