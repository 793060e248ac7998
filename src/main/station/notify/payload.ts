// The body of a notification: Standard Webhooks' recommended { type, timestamp, data } with the
// alert as the desk shows it, its priority, and one line of text for chat relays and phones.
import { alertPriority, type AlertChange, type AlertNotification } from '../../../shared/notify'
import type { AlertView } from '../../../shared/domain'

export function alertNotification(change: AlertChange, changedAt: number, alert: AlertView): AlertNotification {
  const by =
    change === 'acknowledged'
      ? alert.acknowledged_by
      : change === 'investigating'
        ? alert.investigating_by
        : change === 'resolved'
          ? alert.resolved_by
          : null
  const who = by ? ` by ${by}` : ''
  return {
    type: `alert.${change}`,
    timestamp: new Date(changedAt).toISOString(),
    text: `[P${alertPriority(alert)} ${alert.severity}] ${alert.kind} ${change}${who}: ${alert.message}`,
    data: { change, priority: alertPriority(alert), alert },
  }
}

/** What `notify test` sends: its own type, so no receiver takes it for something at the venue. */
export function testNotification(
  targetName: string,
  at: number,
): { type: 'notification.test'; timestamp: string; text: string; data: { target: string } } {
  return {
    type: 'notification.test',
    timestamp: new Date(at).toISOString(),
    text: `Gatehouse test notification to "${targetName}": nothing happened at the venue`,
    data: { target: targetName },
  }
}
