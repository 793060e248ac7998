// Project Settings: the webhook endpoints (Integrations › Webhooks), the station's security, and
// the readers and projects. Pick on the left, manage on the right.
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { useStationSettings } from '../security/use-station-settings'
import { SecurityView } from '../security/SecurityView'
import { ReadersAdmin } from '../readers/ReadersAdmin'
import { EndpointDetail } from './EndpointDetail'
import { SettingsNav, type SettingsSection } from './SettingsNav'

const TRAIL: Record<SettingsSection, string[]> = {
  endpoint: ['Integrations', 'Webhooks'],
  security: ['Station security'],
  readers: ['Readers and projects'],
}

export function WebhooksView({ params }: { params: URLSearchParams }): React.JSX.Element {
  const configVersion = useLive((s) => s.versions.config)
  // Allowlist hits are flushed by the station every few seconds: follow them while open.
  const { data: endpoints, error, reload } = useDeskQuery('webhooks:list', {}, { refreshOn: [configVersion], refreshMs: 5000 })
  const station = useStationSettings()

  const sectionParam = params.get('section')
  const section: SettingsSection = sectionParam === 'security' || sectionParam === 'readers' ? sectionParam : 'endpoint'
  const selected = section === 'endpoint' ? (endpoints?.find((e) => e.endpoint === params.get('endpoint')) ?? endpoints?.[0]) : undefined
  const trail = TRAIL[section]
  const warning = station.settings?.secrets.warning
  return (
    <div className="webhooks" data-testid="webhooks-view">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <span>Project Settings</span>
        {trail.map((t, i) => (
          <span key={t} className="crumb">
            <span aria-hidden="true">›</span>
            {i === trail.length - 1 ? <strong aria-current="page">{t}</strong> : <span>{t}</span>}
          </span>
        ))}
      </nav>
      {warning && (
        <div className="warning-banner" role="alert" data-testid="secrets-warning">
          <Icon name="warning" size={20} />
          <span>
            <strong>Secrets are less protected than they look.</strong> {warning}
          </span>
        </div>
      )}
      {error && <Notice kind="error">Could not load the webhook endpoints: {error}</Notice>}
      {station.error && <Notice kind="error">Could not load the station settings: {station.error}</Notice>}
      <div className="webhooks-layout">
        <SettingsNav endpoints={endpoints ?? []} section={section} selected={selected?.endpoint} settings={station.settings} />
        {section === 'security' ? (
          <SecurityView state={station} />
        ) : section === 'readers' ? (
          <ReadersAdmin />
        ) : selected ? (
          <EndpointDetail
            key={selected.endpoint}
            endpoint={selected}
            defaultGraceHours={station.settings?.secrets.default_grace_hours ?? null}
            onChanged={async () => {
              await Promise.all([reload(), station.reload()])
            }}
          />
        ) : (
          <p className="loading">Loading…</p>
        )}
      </div>
    </div>
  )
}
