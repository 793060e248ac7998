// While any lockdown is in force: a red strip on every desk, in words, with when and by whom, and
// the one action that lifts it.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useLive } from '../../store/LiveProvider'
import { Icon } from '../../ui/Icon'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { clock } from '../../ui/format'
import type { LockdownView } from '../../../../shared/venue'
import { OperatorField, useOperator } from './OperatorField'

export function LockdownBanner(): React.JSX.Element | null {
  const lockdowns = useLive((s) => s.lockdowns)
  const [lifting, setLifting] = useState<LockdownView | null>(null)
  const [operator] = useOperator()
  const [error, setError] = useState<string | null>(null)
  if (!lockdowns || lockdowns.length === 0) return null
  const lift = async (l: LockdownView): Promise<void> => {
    setLifting(null)
    try {
      await call('lockdown:set', { on: false, zone: l.zone, by: operator })
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <div className="lockdown-banner" role="alert" data-testid="lockdown-banner">
      {lockdowns.map((l) => (
        <div key={l.zone ?? '*'} className="lockdown-line">
          <Icon name="critical" size={22} />
          <strong>LOCKDOWN {l.zone ? `— ${l.zone}` : '— every reader'}</strong>
          <span>
            since {clock(l.at)} by {l.by}
            {l.note ? `: ${l.note}` : ''}. Scans there are denied.
          </span>
          <button type="button" className="btn btn-small" onClick={() => setLifting(l)}>
            Lift
          </button>
        </div>
      ))}
      {error && <span className="banner-error">{error}</span>}
      {lifting && (
        <ConfirmDialog
          open
          title={`Lift the lockdown ${lifting.zone ? `of ${lifting.zone}` : 'of every reader'}?`}
          confirmLabel="Lift lockdown"
          onCancel={() => setLifting(null)}
          onConfirm={() => void lift(lifting)}
        >
          <p>Scans are decided as usual again from the next one.</p>
          <OperatorField />
        </ConfirmDialog>
      )}
    </div>
  )
}
