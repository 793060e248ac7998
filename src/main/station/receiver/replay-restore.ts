// Bodies accepted while the replay guard was on are in the log with their digest: after a restart
// (or when a guard is switched on) they are remembered again, so a restart is no replay window.
import { endpointFromPath, type EndpointName } from '../../../shared/webhooks'
import type { WebhookLogStore } from '../store/webhook-log'
import type { ReplayGuard } from './replay-guard'

export function rememberAccepted(replay: ReplayGuard, log: WebhookLogStore, endpoints: EndpointName[], now = Date.now()): void {
  if (endpoints.length === 0) return
  const guards = replay.config()
  const longest = Math.max(...endpoints.map((e) => guards[e].window_seconds)) * 1000
  for (const row of log.digestsSince(now - 2 * longest)) {
    const e = endpointFromPath(row.endpoint)
    if (e && endpoints.includes(e)) replay.remember(e, row.body_sha256, row.received_at, row.sent_at)
  }
}
