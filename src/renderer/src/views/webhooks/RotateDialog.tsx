import { useState } from 'react'
import { ConfirmDialog } from '../../ui/ConfirmDialog'

/**
 * Rotation asks one question: may gateways still use the old secret for the grace period, or not
 * at all? A null grace leaves the period to the station's default.
 */
export function RotateDialog(props: {
  open: boolean
  endpoint: string
  graceHours: number | null
  onCancel: () => void
  onConfirm: (graceHours: number | null) => void
}): React.JSX.Element {
  const [grace, setGrace] = useState<'keep' | '0'>('keep')
  return (
    <ConfirmDialog
      open={props.open}
      title={`Rotate the ${props.endpoint} secret?`}
      confirmLabel={grace === '0' ? 'Rotate and revoke now' : 'Rotate secret'}
      danger={grace === '0'}
      onCancel={props.onCancel}
      onConfirm={() => props.onConfirm(grace === '0' ? 0 : props.graceHours)}
    >
      <p>A new secret is generated. Every gateway posting to this endpoint must be given it.</p>
      <fieldset className="choices">
        <legend>What happens to the old secret</legend>
        <label className="choice">
          <input type="radio" name="grace" value="keep" checked={grace === 'keep'} onChange={() => setGrace('keep')} />
          <span>
            <strong>
              {props.graceHours === null
                ? 'Keep it valid for the grace period'
                : `Keep it valid for ${props.graceHours} hour${props.graceHours === 1 ? '' : 's'}`}
            </strong>
            <span className="dim">Move gateways over one by one; both secrets are accepted until then.</span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="grace" value="0" checked={grace === '0'} onChange={() => setGrace('0')} />
          <span>
            <strong>Revoke it at once</strong>
            <span className="dim">For a leaked secret: requests signed with it fail with 401 from now on.</span>
          </span>
        </label>
      </fieldset>
    </ConfirmDialog>
  )
}
