import { href } from '../../shell/route'
import { useLive } from '../../store/LiveProvider'
import type { WebhookEndpointView } from '../../../../shared/contract'
import type { EndpointName } from '../../../../shared/webhooks'
import type { StationSettingsView } from '../../../../shared/station-settings'

export type SettingsSection = 'endpoint' | 'security' | 'readers'

/** The settings' left column: each endpoint with its allowlist at a glance, then the station's own pages. */
export function SettingsNav(props: {
  endpoints: WebhookEndpointView[]
  section: SettingsSection
  selected: EndpointName | undefined
  settings: StationSettingsView | null
}): React.JSX.Element {
  const gateways = useLive((s) => s.gateways)
  const unassigned = useLive((s) => s.unassigned)
  const readers = (gateways ?? []).reduce((n, g) => n + g.readers.length, 0) + (unassigned?.length ?? 0)
  const s = props.settings
  return (
    <nav className="endpoint-list" aria-label="Settings">
      <h3 id="nav-endpoints">Webhook endpoints</h3>
      <ul aria-labelledby="nav-endpoints">
        {props.endpoints.map((e) => (
          <li key={e.endpoint}>
            <a href={href('webhooks', { endpoint: e.endpoint })} aria-current={props.selected === e.endpoint ? 'page' : undefined}>
              <span className="endpoint-name">{e.endpoint}</span>
              <span className="endpoint-meta">
                {e.allowlist.length === 0 ? 'any source' : `${e.allowlist.length} allowlist entr${e.allowlist.length === 1 ? 'y' : 'ies'}`}
                {e.replay_guard.enabled && ' · replay guard'}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <h3 id="nav-station">Station</h3>
      <ul aria-labelledby="nav-station">
        <li>
          <a href={href('webhooks', { section: 'security' })} aria-current={props.section === 'security' ? 'page' : undefined}>
            <span className="endpoint-name">HTTPS and security</span>
            <span className="endpoint-meta">
              {!s
                ? 'certificate, plain HTTP, retention'
                : `${s.tls?.https_port != null ? 'HTTPS on' : 'HTTPS off'} · HTTP ${s.http_enabled ? 'on' : 'off'}`}
            </span>
          </a>
        </li>
        <li>
          <a href={href('webhooks', { section: 'readers' })} aria-current={props.section === 'readers' ? 'page' : undefined}>
            <span className="endpoint-name">Readers and projects</span>
            <span className="endpoint-meta">
              {readers} reader{readers === 1 ? '' : 's'}
            </span>
          </a>
        </li>
      </ul>
    </nav>
  )
}
