import { clock } from '../../ui/format'
import type { AlertView, GatewayView } from '../../../../shared/domain'

/**
 * The station writes "silent for 46 s" once, when it raises the alert; on a screen watched for
 * hours that number would freeze. Say since when instead, from the gateway's own last report.
 */
export function liveMessage(alert: AlertView, gateways: readonly GatewayView[]): string {
  if (alert.kind !== 'gateway_offline') return alert.message
  const g = gateways.find((x) => x.gateway_id === alert.subject)
  return alert.message.replace(/ (silent )?for \d+ s\b/, (_m, silent: string | undefined) =>
    g ? ` ${silent ?? ''}since ${clock(g.last_seen)}` : ` ${silent ?? ''}`.trimEnd(),
  )
}
