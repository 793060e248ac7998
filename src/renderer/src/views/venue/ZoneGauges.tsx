// Each zone's inside count against its capacity: a gauge that turns amber at 90 % and red at 100 %,
// in words as well as colour; a locked-down zone says so. Admins lock down from here.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useLive } from '../../store/LiveProvider'
import { Panel, Notice } from '../../ui/Panel'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { count } from '../../ui/format'
import type { ZoneView } from '../../../../shared/venue'
import { OperatorField, useOperator } from './OperatorField'

const level = (z: ZoneView): 'ok' | 'near' | 'full' =>
  z.capacity === null ? 'ok' : z.inside >= z.capacity ? 'full' : z.inside >= z.capacity * 0.9 ? 'near' : 'ok'

export function ZoneGauges(): React.JSX.Element | null {
  const zones = useLive((s) => s.zones)
  const lockdowns = useLive((s) => s.lockdowns)
  const [confirm, setConfirm] = useState<{ zone: string | null } | null>(null)
  const [operator] = useOperator()
  const [error, setError] = useState<string | null>(null)
  if (!zones || zones.length === 0) return null
  const everywhere = lockdowns?.some((l) => l.zone === null) ?? false
  const lock = async (zone: string | null): Promise<void> => {
    setConfirm(null)
    try {
      await call('lockdown:set', { on: true, zone, by: operator })
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <Panel
      title="Zones"
      id="zones"
      actions={
        !everywhere && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => setConfirm({ zone: null })}>
            Lock down every reader
          </button>
        )
      }
    >
      <ul className="zone-gauges" data-testid="zone-gauges">
        {zones.map((z) => {
          const l = level(z)
          const share = z.capacity ? Math.min(1, z.inside / z.capacity) : 0
          return (
            <li key={z.name} className={`zone-gauge zone-${l}${z.lockdown ? ' zone-locked' : ''}`} data-testid={`zone-${z.name}`}>
              <div className="zone-head">
                <span className="zone-name">{z.name}</span>
                <span className="zone-count" data-testid={`zone-count-${z.name}`}>
                  {count(z.inside)}
                  {z.capacity !== null && <span className="dim"> / {count(z.capacity)}</span>}
                </span>
              </div>
              {z.capacity !== null && (
                <div
                  className="gauge"
                  role="meter"
                  aria-valuemin={0}
                  aria-valuemax={z.capacity}
                  aria-valuenow={z.inside}
                  aria-label={`${z.name} occupancy`}
                >
                  <div className="gauge-fill" style={{ width: `${share * 100}%` }} />
                </div>
              )}
              <div className="zone-state">
                {z.lockdown ? (
                  <strong className="denied-text">Locked down</strong>
                ) : l === 'full' ? (
                  <strong className="denied-text">Full</strong>
                ) : l === 'near' ? (
                  <strong className="warn-text">Nearly full</strong>
                ) : (
                  <span className="dim">inside now</span>
                )}
                {!z.lockdown && (
                  <button type="button" className="btn btn-small" onClick={() => setConfirm({ zone: z.name })}>
                    Lock down
                  </button>
                )}
              </div>
            </li>
          )
        })}
      </ul>
      {error && <Notice kind="error">{error}</Notice>}
      {confirm && (
        <ConfirmDialog
          open
          danger
          title={confirm.zone ? `Lock down ${confirm.zone}?` : 'Lock down every reader?'}
          confirmLabel="Lock down"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void lock(confirm.zone)}
        >
          <p>
            Every scan {confirm.zone ? `at the readers of ${confirm.zone}` : 'at every reader'} is denied until the lockdown is lifted.
            Every desk shows a banner.
          </p>
          <OperatorField />
        </ConfirmDialog>
      )}
    </Panel>
  )
}
