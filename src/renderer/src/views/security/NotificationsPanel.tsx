// Notifications off the desk: the URLs that receive every alert change (a supervisors' phone
// relay, a chat bridge), each signed with its own whsec_ secret, and how their deliveries go.
import { useState } from 'react'
import { call, errorText } from '../../api/desk'
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { useNow } from '../../store/use-now'
import { ConfirmDialog } from '../../ui/ConfirmDialog'
import { Empty, Notice, Panel } from '../../ui/Panel'
import type { NotifyTargetView } from '../../../../shared/notify'
import { NotifyTargetForm } from './NotifyTargetForm'
import { NotifyTargetRow } from './NotifyTargetRow'

export function NotificationsPanel(): React.JSX.Element {
  const alertsVersion = useLive((s) => s.versions.alerts)
  // Deliveries change without an event of their own: follow them while the panel is open.
  const { data: targets, error, reload } = useDeskQuery('notify:list', {}, { refreshOn: [alertsVersion], refreshMs: 5000 })
  const now = useNow()
  const [removing, setRemoving] = useState<NotifyTargetView | null>(null)
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)

  const remove = async (t: NotifyTargetView): Promise<void> => {
    setRemoving(null)
    try {
      await call('notify:remove', { id: t.id })
      setNotice({ kind: 'ok', text: `Removed ${t.name}.` })
      await reload()
    } catch (err) {
      setNotice({ kind: 'error', text: errorText(err) })
    }
  }

  return (
    <Panel title="Notifications off the desk" id="notifications">
      <p className="hint">
        Every alert change (raised, acknowledged, resolved) is sent to these URLs as a signed JSON POST, retried for a day while a target is
        down. A target failing for an hour raises its own alert.
      </p>
      {error && <Notice kind="error">Could not load the notification targets: {error}</Notice>}
      {targets === null ? (
        <p className="loading">Loading…</p>
      ) : targets.length === 0 ? (
        <Empty>No targets yet: alerts reach only this desk.</Empty>
      ) : (
        <ul className="notify-targets" data-testid="notify-targets">
          {targets.map((t) => (
            <NotifyTargetRow key={t.id} target={t} now={now} onChanged={reload} onRemove={setRemoving} />
          ))}
        </ul>
      )}
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <NotifyTargetForm onAdded={() => reload()} />
      {removing && (
        <ConfirmDialog
          open
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove target"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          <p>
            {removing.name} will get no more alerts{removing.pending > 0 ? `, and the ${removing.pending} waiting for it are dropped` : ''}.
          </p>
        </ConfirmDialog>
      )}
    </Panel>
  )
}
