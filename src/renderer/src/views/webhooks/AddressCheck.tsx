import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { Icon } from '../../ui/Icon'
import type { CommandOutputs } from '../../../../shared/contract'
import type { EndpointName } from '../../../../shared/webhooks'

/** "Would this address pass?": the station's own matcher answers, with the entry that matched. */
export function AddressCheck({ endpoint }: { endpoint: EndpointName }): React.JSX.Element {
  const [address, setAddress] = useState('')
  const [result, setResult] = useState<CommandOutputs['allowlist:test'] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const check = async (): Promise<void> => {
    try {
      setResult(await call('allowlist:test', { endpoint, address }))
      setError(null)
    } catch (err) {
      setResult(null)
      setError(errorText(err))
    }
  }
  return (
    <form
      className="tool-form"
      aria-labelledby="address-check-title"
      onSubmit={(ev) => {
        ev.preventDefault()
        void check()
      }}
    >
      <h3 id="address-check-title">Would this address pass?</h3>
      <div className="field-row">
        <label className="field">
          <span>Source address</span>
          <input
            value={address}
            onChange={(ev) => setAddress(ev.target.value)}
            placeholder="192.168.1.20"
            className="mono"
            autoComplete="off"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="btn" disabled={address.trim() === ''}>
          <Icon name="search" />
          Check
        </button>
      </div>
      <div aria-live="polite" data-testid="address-check-result">
        {result && (
          <p className={`check-result ${result.allowed ? 'is-allowed' : 'is-refused'}`}>
            <Icon name={result.allowed ? 'granted' : 'denied'} />
            <strong>{result.allowed ? 'Allowed' : 'Refused'}</strong> {result.address}: {result.reason}
          </p>
        )}
        {error && <p className="field-error">✖ {error}</p>}
      </div>
    </form>
  )
}
