// Refusal bursts as alerts: at most one open alert per endpoint and kind, whatever the number of
// addresses, carrying the count and the busiest sources. While the burst lasts the same alert is
// rewritten (once per sweep at most) and pushed again: the desk shows the count rise, and plays
// its sound only for the new alert. Five quiet minutes resolve it.
import type { AlertSummary } from './alerts'
import type { RefusalKind } from '../receiver/app'
import type { BurstSummary } from './bursts'
import { alertStamp, burstTiming, createBurstAlerting, type BurstAlertSinks, type BurstTiming } from './burst-alerting'

type BurstKind = 'signature_burst' | 'refused_source_burst'

export type BurstAlertOptions = BurstTiming

const BURST_OF: Partial<Record<RefusalKind, BurstKind>> = { signature: 'signature_burst', forbidden: 'refused_source_burst' }

export function burstMessage(b: BurstSummary<BurstKind>): string {
  const what = b.kind === 'signature_burst' ? 'with an invalid signature' : 'refused by the allowlist'
  const sources = `${b.sources}${b.sourcesCapped ? '+' : ''} address${b.sources === 1 && !b.sourcesCapped ? '' : 'es'}`
  const top = b.top.map((s) => `${s.address} (${s.count})`).join(', ')
  return `${b.count} requests ${what} on ${b.subject} since ${alertStamp(b.since)}, from ${sources}; most from ${top}`
}

const summaryOf = (b: BurstSummary<BurstKind>): AlertSummary => ({ count: b.count, top_sources: b.top })

export function createBurstAlerts(deps: BurstAlertSinks & { options?: BurstAlertOptions }) {
  const bursts = createBurstAlerting<BurstKind>({
    ...deps,
    detector: burstTiming(deps.options, 10),
    message: burstMessage,
    summary: summaryOf,
  })

  return {
    /** Counts one refusal of `endpoint` (its path) from `sourceIp`; opens the alert when a burst begins. */
    refused(kind: RefusalKind, sourceIp: string, endpoint: string, now = Date.now()): void {
      const burst = BURST_OF[kind]
      if (burst) bursts.hit(burst, endpoint, sourceIp, now)
    },
    /** Rewrites the alerts of bursts that grew, and resolves the quiet ones; part of the sweep. */
    step: (now = Date.now()): Promise<void> => bursts.step(now),
  }
}
