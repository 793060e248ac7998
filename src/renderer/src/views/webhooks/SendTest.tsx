import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { HttpStatus } from '../../ui/Badges'
import { Icon } from '../../ui/Icon'
import { Notice } from '../../ui/Panel'
import { href } from '../../shell/route'
import type { CommandOutputs } from '../../../../shared/contract'
import type { EndpointName } from '../../../../shared/webhooks'

/** Sends a signed sample through the real receiver pipeline and shows what came back. */
export function SendTest({ endpoint }: { endpoint: EndpointName }): React.JSX.Element {
  const [result, setResult] = useState<CommandOutputs['webhooks:send-test'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const send = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      setResult(await call('webhooks:send-test', { endpoint }))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="send-test">
      <button type="button" className="btn" onClick={() => void send()} disabled={busy}>
        <Icon name="send" />
        {busy ? 'Sending…' : 'Send test webhook'}
      </button>
      <span className="hint">signed with the current secret, from 127.0.0.1, through the same checks as a gateway</span>
      {error && <Notice kind="error">{error}</Notice>}
      {result && (
        <div className="test-result" role="status" data-testid="test-result">
          <div className="test-result-head">
            <span>Response</span>
            <HttpStatus status={result.status} />
            {result.log_id && <a href={href('logs', { id: result.log_id })}>Open log entry {result.log_id}</a>}
          </div>
          <pre className="code-block">{pretty(result.body)}</pre>
        </div>
      )}
    </div>
  )
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}
