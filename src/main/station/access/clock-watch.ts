// The `clock_skew` alert: raised once per source (a gateway, a reader without one, Cvent) whose
// timestamps are further from the station's clock than the skew allows, resolved by the first of
// its events whose clock agrees again. Open subjects are kept in memory so that a scan from a
// source with a good clock costs a comparison, not a query.
import type { AlertView } from '../../../shared/domain'
import type { Alerts } from './alerts'
import { skewText } from './clock'

export type ClockWatch = ReturnType<typeof createClockWatch>

export function createClockWatch(alerts: Alerts, skewMs: number) {
  const open = alerts.openSubjects('clock_skew')
  return {
    skewMs,
    /**
     * One event from `subject` stamped `sentAt`, arrived `receivedAt`. `behindMatters`: a timestamp
     * far behind is a problem too (a gateway whose reports are ignored as older). Call inside the
     * write; returns the alert to push after the commit, if it changed.
     */
    observe(subject: string, sentAt: number, receivedAt: number, behindMatters = false): AlertView | undefined {
      const diff = sentAt - receivedAt
      const wrong = diff > skewMs || (behindMatters && -diff > skewMs)
      // Resolved by an operator while the clock is still wrong: raised again (a lookup only while wrong).
      if (wrong) alerts.forgetResolved('clock_skew', open, subject)
      if (wrong && !open.has(subject)) {
        open.add(subject)
        const where = diff > 0 ? 'ahead of' : 'behind'
        const effect =
          diff > 0
            ? 'its timestamps are taken as their arrival time for ordering'
            : 'its reports are ignored as older than the last one applied'
        return alerts.raise(
          'clock_skew',
          subject,
          `${subject}'s clock is ${skewText(diff)} ${where} the station's (${new Date(sentAt).toISOString()} at ${new Date(receivedAt).toISOString()}): ${effect}. Check its time settings (NTP).`,
          receivedAt,
        )
      }
      if (!wrong && Math.abs(diff) <= skewMs && open.has(subject)) {
        open.delete(subject)
        return alerts.resolve('clock_skew', subject, receivedAt)
      }
      return undefined
    },
  }
}
