// The endpoint's IP allowlist: entries with their hits, add with inline validation, remove, replace
// the whole list, and "would this address pass?". Removing the last entry opens the endpoint to any
// source: its dialog says so, and only that dialog sends the station the `open` confirmation.
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
import { AllowlistReplace } from './AllowlistReplace'

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
  const last = e.allowlist.length === 1
  const remove = async (entry: AllowlistEntry): Promise<void> => {
    setRemoving(null)
    try {
      await call('allowlist:remove', { endpoint: e.endpoint, id: entry.id, open: last })
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
      <div className="allowlist-replace">
        <AllowlistReplace endpoint={e} onChanged={onChanged} />
      </div>
      <div className="allowlist-tools">
        <AllowlistAddForm endpoint={e.endpoint} current={e.allowlist.map((a) => a.entry)} onAdded={onChanged} />
        <AddressCheck endpoint={e.endpoint} />
      </div>
      {removing && (
        <ConfirmDialog
          open
          title={last ? `Remove ${removing.entry} and accept any source on ${e.path}?` : `Remove ${removing.entry}?`}
          confirmLabel={last ? 'Remove: accept any source' : 'Remove entry'}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          <p data-testid={last ? 'allowlist-open-warning' : undefined}>
            {last
              ? `This is the last entry: once it is removed, ${e.path} accepts requests from any source address (they still need a valid signature). To change the address instead, use “Replace list…”: it never opens the endpoint in between.`
              : `Gateways at ${removing.entry} will be refused with 403 unless another entry covers them.`}
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}
