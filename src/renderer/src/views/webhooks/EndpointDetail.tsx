import { Panel } from '../../ui/Panel'
import { UrlList } from '../../ui/UrlList'
import { Icon } from '../../ui/Icon'
import { href } from '../../shell/route'
import type { WebhookEndpointView } from '../../../../shared/contract'
import { SecretPanel } from './SecretPanel'
import { AllowlistPanel } from './AllowlistPanel'
import { SendTest } from './SendTest'
import { ReplayGuardPanel } from './ReplayGuardPanel'

export function EndpointDetail(props: {
  endpoint: WebhookEndpointView
  defaultGraceHours: number | null
  onChanged: () => Promise<void>
}): React.JSX.Element {
  const { endpoint: e, onChanged } = props
  const signatureFormat = e.endpoint === 'cvent' ? '<hex HMAC-SHA256 of the body>' : 'sha256=<hex HMAC-SHA256 of the body>'
  return (
    <div className="endpoint-detail" data-testid={`endpoint-${e.endpoint}`}>
      <Panel
        title={
          <>
            <span className="method">POST</span> <span className="mono">{e.path}</span>
          </>
        }
        id="endpoint"
        actions={
          <a className="btn" href={href('logs', { endpoint: e.path })}>
            <Icon name="terminal" />
            View logs
          </a>
        }
      >
        <dl className="facts">
          <dt>URLs to give gateways</dt>
          <dd>
            <UrlList urls={e.urls} />
          </dd>
          {e.https_urls.length > 0 && (
            <>
              <dt>HTTPS URLs</dt>
              <dd>
                <UrlList urls={e.https_urls} />
                <p className="hint">
                  Gateways pin the certificate: <a href={href('webhooks', { section: 'security' })}>its SHA-256 fingerprint</a>.
                </p>
              </dd>
            </>
          )}
          <dt>Signature header</dt>
          <dd>
            <code>
              {e.signature_header}: {signatureFormat}
            </code>
          </dd>
          <dt>Body limit</dt>
          <dd>
            {e.body_limit_bytes >= 1024 * 1024
              ? `${e.body_limit_bytes / (1024 * 1024)} MiB`
              : `${Math.round(e.body_limit_bytes / 1024)} KiB`}
          </dd>
        </dl>
        <SendTest endpoint={e.endpoint} />
      </Panel>
      <SecretPanel endpoint={e} defaultGraceHours={props.defaultGraceHours} onChanged={onChanged} />
      <ReplayGuardPanel endpoint={e} onChanged={onChanged} />
      <AllowlistPanel endpoint={e} onChanged={onChanged} />
    </div>
  )
}
