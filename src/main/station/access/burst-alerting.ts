// A burst detector tied to its alerts, written once for every burst kind: the refusal that starts a
// burst opens (or rewrites) its alert at once; each sweep rewrites the alerts of bursts that grew
// and resolves the quiet ones, with their final count. Each kind brings only its words.
import type { CommitQueue } from '../store/commit-queue'
import type { AlertKind, AlertView } from '../../../shared/domain'
import type { Alerts, AlertSummary } from './alerts'
import { createBurstDetector, type BurstOptions, type BurstSummary } from './bursts'

/** An epoch-ms time as the alert messages print it (seconds, UTC). */
export const alertStamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

/** Where a burst kind's alerts go: written through the commit queue, then pushed. */
export interface BurstAlertSinks {
  queue: CommitQueue
  alerts: Alerts
  emit: (alert: AlertView | undefined) => void
}

/** The settings every burst kind has. */
export interface BurstTiming {
  threshold?: number
  windowMs?: number
  quietMs?: number
}

/** A kind's timing with the defaults filled in: its own threshold, a minute's window, five quiet minutes. */
export const burstTiming = (options: BurstTiming | undefined, threshold: number): BurstOptions => ({
  threshold: options?.threshold ?? threshold,
  windowMs: options?.windowMs ?? 60_000,
  quietMs: options?.quietMs ?? 5 * 60_000,
})

export interface BurstAlertingDeps<K extends AlertKind> extends BurstAlertSinks {
  detector: BurstOptions
  message: (b: BurstSummary<K>) => string
  summary: (b: BurstSummary<K>) => AlertSummary
}

export function createBurstAlerting<K extends AlertKind>(deps: BurstAlertingDeps<K>) {
  const { queue, alerts, emit, message, summary } = deps
  const detector = createBurstDetector<K>(deps.detector)

  /** The burst's open alert rewritten, or opened when there is none (a raise that failed, a restart). */
  const write = (b: BurstSummary<K>, at: number): AlertView | undefined => {
    const open = alerts.openOf(b.kind, b.subject)
    return open ? alerts.update(open.id, message(b), summary(b), at) : alerts.raise(b.kind, b.subject, message(b), at, summary(b))
  }

  return {
    /** Counts one hit; opens the alert when this hit starts a burst. */
    hit(kind: K, subject: string, address: string, now: number): void {
      const started = detector.hit(kind, subject, address, now)
      if (started) queue.enqueue(() => write(started, now)).then(emit, () => undefined)
    },
    /** Rewrites the alerts of bursts that grew, and resolves the quiet ones; part of the sweep. */
    async step(now: number): Promise<void> {
      const grown = detector.changed()
      const quiet = detector.quiet(now)
      if (grown.length === 0 && quiet.length === 0) return
      const changes = await queue.enqueue(() => [
        ...grown.map((b) => write(b, now)),
        ...quiet.map((b) => {
          const open = alerts.openOf(b.kind, b.subject)
          if (open) alerts.update(open.id, message(b), summary(b), now)
          return alerts.resolve(b.kind, b.subject, now)
        }),
      ])
      changes.forEach(emit)
    },
  }
}
