// The endpoint's IP allowlist: entries with their hits, add with inline validation, remove, and
// "would this address pass?".
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useNow } from '../../store/use-now'
import { Panel, Notice } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { age, count } from '../../ui/format'
import type { WebhookEndpointView } from '../../../../shared/contract'
import type { AllowlistEntry } from '../../../../shared/allowlist'
import { AllowlistAddForm } from './AllowlistAddForm'
import { AddressCheck } from './AddressCheck'

export function AllowlistPanel({
  endpoint: e,
  onChanged,
}: {
  endpoint: WebhookEndpointView
  onChanged: () => Promise<void>
}): React.JSX.Element {
  const now = useNow()
  const [removing, setRemoving] = useState<AllowlistEntry | null>(null)
  const [error, setError] = useState<string | null>(null)
  const remove = async (entry: AllowlistEntry): Promise<void> => {
    setRemoving(null)
    try {
      await call('allowlist:remove', { endpoint: e.endpoint, id: entry.id })
      setError(null)
      await onChanged()
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <Panel title="IP allowlist" id="allowlist">
      {e.allowlist.length === 0 ? (
        <p className="allowlist-open">
          <Icon name="info" /> No entries: any source address is accepted (requests still need a valid signature). Adding an entry refuses
          every other address with 403.
        </p>
      ) : (
        <table className="table" data-testid="allowlist">
          <thead>
            <tr>
              <th scope="col">Address or range</th>
              <th scope="col">Label</th>
              <th scope="col" className="num">
                Hits
              </th>
              <th scope="col">Last hit</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {e.allowlist.map((entry) => (
              <tr key={entry.id}>
                <td className="mono">{entry.entry}</td>
                <td>{entry.label ?? <span className="dim">—</span>}</td>
                <td className="num">{count(entry.hits)}</td>
                <td>{age(entry.last_hit_at, now)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small btn-danger-quiet"
                    onClick={() => setRemoving(entry)}
                    aria-label={`Remove ${entry.entry}`}
                  >
                    <Icon name="trash" size={16} />
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      <div className="allowlist-tools">
        <AllowlistAddForm endpoint={e.endpoint} first={e.allowlist.length === 0} onAdded={onChanged} />
        <AddressCheck endpoint={e.endpoint} />
      </div>
      {removing && (
        <ConfirmDialog
          open
          title={`Remove ${removing.entry}?`}
          confirmLabel="Remove entry"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          <p>
            {e.allowlist.length === 1
              ? 'This is the last entry: once removed, any source address is accepted again.'
              : `Gateways at ${removing.entry} will be refused with 403 unless another entry covers them.`}
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}
