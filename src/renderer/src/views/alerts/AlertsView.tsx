// Alerts: open ones first (to acknowledge, by name), then the recently resolved.
import { useDeskQuery } from '../../api/use-desk-query'
import { useLive } from '../../store/LiveProvider'
import { Panel, Empty, Notice } from '../../ui/Panel'
import type { AlertView } from '../../../../shared/domain'
import { AlertRow } from './AlertRow'

export function AlertsView(): React.JSX.Element {
  const version = useLive((s) => s.versions.alerts)
  const query = useDeskQuery('alerts:list', { include_resolved: true, limit: 200 }, { refreshOn: [version] })
  const { data: alerts, error } = query

  const replace = (updated: AlertView): void => {
    if (alerts) query.replace(alerts.map((a) => (a.id === updated.id ? updated : a)))
  }
  const open = (alerts ?? []).filter((a) => !a.resolved_at)
  const resolved = (alerts ?? []).filter((a) => a.resolved_at)
  const unacked = open.filter((a) => !a.acknowledged_at).length

  return (
    <div className="stack" data-testid="alerts-view">
      {error && <Notice kind="error">Could not load alerts: {error}</Notice>}
      <Panel
        title={`Open alerts (${open.length})`}
        id="open-alerts"
        actions={<span className="hint">{unacked} waiting for acknowledgement</span>}
      >
        {alerts === null ? (
          <p className="loading">Loading…</p>
        ) : open.length === 0 ? (
          <Empty>No open alerts. Gateways, readers and webhook sources look healthy.</Empty>
        ) : (
          <ul className="alert-list">
            {open.map((a) => (
              <AlertRow key={a.id} alert={a} onAcknowledged={replace} />
            ))}
          </ul>
        )}
      </Panel>
      <Panel title={`Resolved (${resolved.length})`} id="resolved-alerts" actions={<span className="hint">most recent 200</span>}>
        {resolved.length === 0 ? (
          <Empty>Nothing resolved yet.</Empty>
        ) : (
          <ul className="alert-list resolved">
            {resolved.map((a) => (
              <AlertRow key={a.id} alert={a} onAcknowledged={replace} />
            ))}
          </ul>
        )}
      </Panel>
    </div>
  )
}
