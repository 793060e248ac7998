import { Panel } from '../../ui/Panel'
import type { StationSettingsView } from '../../../../shared/station-settings'

const SEALED_WORDS: Record<string, string> = {
  plain: 'Not encrypted: a file readable by this user only (0600)',
  safeStorage: "Encrypted with the operating system's keyring (Electron safeStorage)",
}

/** Where the signing secrets live, how they are protected, and the rotation grace period. */
export function SecretsStoragePanel({ secrets: s }: { secrets: StationSettingsView['secrets'] }): React.JSX.Element {
  return (
    <Panel title="Signing secrets" id="secrets-storage">
      <dl className="facts compact">
        <dt>At rest</dt>
        <dd>{SEALED_WORDS[s.sealed_with] ?? s.sealed_with}</dd>
        <dt>File</dt>
        <dd className="mono break">{s.file}</dd>
        <dt>Rotation grace</dt>
        <dd data-testid="default-grace">
          {s.default_grace_hours} h by default: after a rotation the previous secret is still accepted, so gateways can be moved over one by
          one
        </dd>
      </dl>
    </Panel>
  )
}
