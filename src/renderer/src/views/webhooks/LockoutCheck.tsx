// Before an allowlist change is saved: the station says which sources accepted in the last hour
// the new list would refuse; if any, the operator sees them (gateway and address) and confirms.
import { useState } from 'react'
import { call } from '../../api/desk'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { clock, count } from '../../ui/format'
import type { LockedOutSource } from '../../../../shared/allowlist'
import type { EndpointName } from '../../../../shared/webhooks'

interface Pending {
  lockedOut: LockedOutSource[]
  save: () => Promise<void>
}

/** `check(entries, save)`: saves at once when nobody is locked out, else asks first (render `dialog`). */
export function useLockoutCheck(endpoint: EndpointName): {
  check: (entries: string[], save: () => Promise<void>) => Promise<void>
  dialog: React.JSX.Element | null
} {
  const [pending, setPending] = useState<Pending | null>(null)
  const check = async (entries: string[], save: () => Promise<void>): Promise<void> => {
    const { locked_out } = await call('allowlist:preview', { endpoint, entries })
    if (locked_out.length === 0) return save()
    setPending({ lockedOut: locked_out, save })
  }
  const dialog = pending && (
    <ConfirmDialog
      open
      danger
      title={`This change would refuse ${pending.lockedOut.length} source${pending.lockedOut.length === 1 ? '' : 's'} seen in the last hour`}
      confirmLabel="Save anyway"
      onCancel={() => setPending(null)}
      onConfirm={() => {
        const { save } = pending
        setPending(null)
        void save()
      }}
    >
      <p>These addresses were accepted in the last hour and would get 403 from now on:</p>
      <table className="table" data-testid="lockout-preview">
        <thead>
          <tr>
            <th scope="col">Gateway</th>
            <th scope="col">Address</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col">Last accepted</th>
          </tr>
        </thead>
        <tbody>
          {pending.lockedOut.map((s) => (
            <tr key={s.address}>
              <td>{s.gateway_ids.length > 0 ? s.gateway_ids.join(', ') : <span className="dim">not a gateway we know</span>}</td>
              <td className="mono">{s.address}</td>
              <td className="num">{count(s.requests)}</td>
              <td>{clock(s.last_seen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ConfirmDialog>
  )
  return { check, dialog }
}
