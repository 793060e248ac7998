// Project Settings › Integrations › Webhooks: pick an endpoint on the left, manage it on the right.
import { useCallback, useEffect, useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useLive } from '../../store/LiveProvider'
import { Notice } from '../../ui/Panel'
import { href } from '../../shell/route'
import type { WebhookEndpointView } from '../../../../shared/contract'
import { EndpointDetail } from './EndpointDetail'

export function WebhooksView({ params }: { params: URLSearchParams }): React.JSX.Element {
  const configVersion = useLive((s) => s.versions.config)
  const [endpoints, setEndpoints] = useState<WebhookEndpointView[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(async () => {
    try {
      setEndpoints(await call('webhooks:list', {}))
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }, [])
  useEffect(() => void reload(), [reload, configVersion])
  // Allowlist hits are flushed by the station every few seconds: follow them while open.
  useEffect(() => {
    const timer = setInterval(() => void reload(), 5000)
    return () => clearInterval(timer)
  }, [reload])

  const selected = endpoints?.find((e) => e.endpoint === params.get('endpoint')) ?? endpoints?.[0]
  return (
    <div className="webhooks" data-testid="webhooks-view">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <span>Project Settings</span>
        <span aria-hidden="true">›</span>
        <span>Integrations</span>
        <span aria-hidden="true">›</span>
        <strong aria-current="page">Webhooks</strong>
      </nav>
      {error && <Notice kind="error">Could not load the webhook endpoints: {error}</Notice>}
      <div className="webhooks-layout">
        <nav className="endpoint-list" aria-label="Webhook endpoints">
          <ul>
            {(endpoints ?? []).map((e) => (
              <li key={e.endpoint}>
                <a href={href('webhooks', { endpoint: e.endpoint })} aria-current={selected?.endpoint === e.endpoint ? 'page' : undefined}>
                  <span className="endpoint-name">{e.endpoint}</span>
                  <span className="endpoint-meta">
                    {e.allowlist.length === 0 ? 'any source' : `${e.allowlist.length} allowlist entr${e.allowlist.length === 1 ? 'y' : 'ies'}`}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {selected ? <EndpointDetail key={selected.endpoint} endpoint={selected} onChanged={reload} /> : <p className="loading">Loading…</p>}
      </div>
    </div>
  )
}
