// Refusal bursts as alerts: at most one open alert per endpoint and kind, whatever the number of
// addresses, carrying the count and the busiest sources. While the burst lasts the same alert is
// rewritten (once per sweep at most) and pushed again: the desk shows the count rise, and plays
// its sound only for the new alert. Five quiet minutes resolve it.
import type { CommitQueue } from '../store/commit-queue'
import type { Alerts, AlertSummary } from './alerts'
import type { AlertView } from '../../../shared/domain'
import type { RefusalKind } from '../receiver/app'
import { createBurstDetector, type BurstSummary } from './bursts'

type BurstKind = 'signature_burst' | 'refused_source_burst'

export interface BurstAlertOptions {
  threshold?: number
  windowMs?: number
  quietMs?: number
}

const BURST_OF: Partial<Record<RefusalKind, BurstKind>> = { signature: 'signature_burst', forbidden: 'refused_source_burst' }

const stamp = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`

export function burstMessage(b: BurstSummary<BurstKind>): string {
  const what = b.kind === 'signature_burst' ? 'with an invalid signature' : 'refused by the allowlist'
  const sources = `${b.sources}${b.sourcesCapped ? '+' : ''} address${b.sources === 1 && !b.sourcesCapped ? '' : 'es'}`
  const top = b.top.map((s) => `${s.address} (${s.count})`).join(', ')
  return `${b.count} requests ${what} on ${b.subject} since ${stamp(b.since)}, from ${sources}; most from ${top}`
}

const summaryOf = (b: BurstSummary<BurstKind>): AlertSummary => ({ count: b.count, top_sources: b.top })

export function createBurstAlerts(deps: {
  queue: CommitQueue
  alerts: Alerts
  emit: (alert: AlertView | undefined) => void
  options?: BurstAlertOptions
}) {
  const { queue, alerts, emit } = deps
  const detector = createBurstDetector<BurstKind>({
    threshold: deps.options?.threshold ?? 10,
    windowMs: deps.options?.windowMs ?? 60_000,
    quietMs: deps.options?.quietMs ?? 5 * 60_000,
  })

  /** The burst's open alert rewritten, or opened when there is none (a raise that failed, a restart). */
  const write = (b: BurstSummary<BurstKind>, at: number): AlertView | undefined => {
    const open = alerts.openOf(b.kind, b.subject)
    return open
      ? alerts.update(open.id, burstMessage(b), summaryOf(b), at)
      : alerts.raise(b.kind, b.subject, burstMessage(b), at, summaryOf(b))
  }

  return {
    /** Counts one refusal of `endpoint` (its path) from `sourceIp`; opens the alert when a burst begins. */
    refused(kind: RefusalKind, sourceIp: string, endpoint: string, now = Date.now()): void {
      const burst = BURST_OF[kind]
      if (!burst) return
      const started = detector.hit(burst, endpoint, sourceIp, now)
      if (started) queue.enqueue(() => write(started, now)).then(emit, () => undefined)
    },
    /** Rewrites the alerts of bursts that grew, and resolves the quiet ones; part of the sweep. */
    async step(now = Date.now()): Promise<void> {
      const grown = detector.changed()
      const quiet = detector.quiet(now)
      if (grown.length === 0 && quiet.length === 0) return
      const changes = await queue.enqueue(() => [
        ...grown.map((b) => write(b, now)),
        ...quiet.map((b) => {
          const open = alerts.openOf(b.kind, b.subject)
          if (open) alerts.update(open.id, burstMessage(b), summaryOf(b), now)
          return alerts.resolve(b.kind, b.subject, now)
        }),
      ])
      changes.forEach(emit)
    },
  }
}
