import { CopyButton } from '../../ui/CopyButton'
import { fingerprintGroups } from '../../ui/format'

/** The certificate's SHA-256 fingerprint in numbered groups of four, to be read aloud and compared. */
export function Fingerprint({ value }: { value: string }): React.JSX.Element {
  const groups = fingerprintGroups(value)
  return (
    <div className="fingerprint">
      <ol className="fingerprint-groups" aria-label="SHA-256 fingerprint, in groups of four" data-testid="tls-fingerprint">
        {groups.map((g, i) => (
          <li key={i}>
            <span className="fingerprint-n" aria-hidden="true">
              {i + 1}
            </span>
            <span className="fingerprint-group">{g}</span>
          </li>
        ))}
      </ol>
      <div className="fingerprint-actions">
        <CopyButton value={value} label="Copy fingerprint" />
        <span className="hint">copies the colon form openssl and gateways show ({value.slice(0, 8)}…)</span>
      </div>
    </div>
  )
}
