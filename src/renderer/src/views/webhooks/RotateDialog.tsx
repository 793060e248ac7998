import { useState } from 'react'
import { ConfirmDialog } from '../../ui/ConfirmDialog'

/** Rotation asks one question: may gateways still use the old secret for a day, or not at all? */
export function RotateDialog(props: { open: boolean; endpoint: string; onCancel: () => void; onConfirm: (graceHours: number) => void }): React.JSX.Element {
  const [grace, setGrace] = useState<'24' | '0'>('24')
  return (
    <ConfirmDialog
      open={props.open}
      title={`Rotate the ${props.endpoint} secret?`}
      confirmLabel={grace === '0' ? 'Rotate and revoke now' : 'Rotate secret'}
      danger={grace === '0'}
      onCancel={props.onCancel}
      onConfirm={() => props.onConfirm(Number(grace))}
    >
      <p>A new secret is generated. Every gateway posting to this endpoint must be given it.</p>
      <fieldset className="choices">
        <legend>What happens to the old secret</legend>
        <label className="choice">
          <input type="radio" name="grace" value="24" checked={grace === '24'} onChange={() => setGrace('24')} />
          <span>
            <strong>Keep it valid for 24 hours</strong>
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
