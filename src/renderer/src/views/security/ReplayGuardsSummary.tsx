import { Panel } from '../../ui/Panel'
import { Icon } from '../../ui/Icon'
import { href } from '../../shell/route'
import { ENDPOINTS } from '../../../../shared/webhooks'
import type { StationSettingsView } from '../../../../shared/station-settings'

/** Every endpoint's replay guard at a glance; each is switched on its endpoint's page. */
export function ReplayGuardsSummary({ settings: s }: { settings: StationSettingsView }): React.JSX.Element {
  return (
    <Panel title="Replay guards" id="replay-summary">
      <table className="table compact-table">
        <thead>
          <tr>
            <th scope="col">Endpoint</th>
            <th scope="col">Guard</th>
            <th scope="col">
              <span className="sr-only">Configure</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {ENDPOINTS.map((e) => {
            const g = s.replay_guards[e]
            return (
              <tr key={e}>
                <td className="mono">{e}</td>
                <td>
                  {g.enabled ? (
                    <span className="badge guard-on">
                      <Icon name="shield" size={16} />
                      On, ±{g.window_seconds} s
                    </span>
                  ) : (
                    <span className="dim">Off</span>
                  )}
                </td>
                <td className="actions">
                  <a href={href('webhooks', { endpoint: e })} aria-label={`Configure the ${e} replay guard`}>
                    Configure
                  </a>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      <p className="hint setting-explain">
        Requests stamped more than {s.late_after_seconds} s before they arrive are labelled “late” in the log, guard or not.
      </p>
    </Panel>
  )
}
