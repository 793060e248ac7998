// The `rejections_burst` alert: requests refused for a reason other than a bad signature (400,
// 409, 413, 415, 429) from one source address past a threshold within a minute: a gateway posting
// 400s after a firmware update, a registration system hitting 413 or 429. One alert per source,
// with its most frequent errors, rewritten while the burst lasts and resolved after five quiet minutes.
import type { AlertSummary } from './alerts'
import type { BurstSummary } from './bursts'
import { alertStamp, burstTiming, createBurstAlerting, type BurstAlertSinks, type BurstTiming } from './burst-alerting'

/** The refusals this alert counts; 401 (bad signature) and 403 (allowlist) have their own bursts. */
export const REJECTION_STATUSES: ReadonlySet<number> = new Set([400, 409, 413, 415, 429])

export interface RejectionAlertOptions extends BurstTiming {
  /** Source addresses counted at once (memory bound under a spread-out flood). */
  maxSources?: number
}

type Kind = 'rejections_burst'

/** The error a refusal is counted under: status, path and the reason's first words (no body content). */
export function rejectionError(status: number, endpoint: string, reason: string | null): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const why = (reason ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 100)
  return `${status} ${endpoint.slice(0, 100)}${why ? `: ${why}` : ''}`
}

export function rejectionMessage(b: BurstSummary<Kind>): string {
  const top = b.top.map((e) => `${e.address} (×${e.count})`).join('; ')
  return `${b.count} requests from ${b.subject} refused since ${alertStamp(b.since)} (not for their signature); most frequent: ${top}`
}

const summaryOf = (b: BurstSummary<Kind>): AlertSummary => ({
  count: b.count,
  top_errors: b.top.map((e) => ({ error: e.address, count: e.count })),
})

export function createRejectionAlerts(deps: BurstAlertSinks & { options?: RejectionAlertOptions }) {
  // The detector's "addresses" here are the errors; its subjects the source addresses.
  const bursts = createBurstAlerting<Kind>({
    ...deps,
    detector: {
      ...burstTiming(deps.options, 20),
      maxSources: 200,
      topSources: 3,
      maxSubjects: deps.options?.maxSources ?? 10_000,
    },
    message: rejectionMessage,
    summary: summaryOf,
  })

  return {
    /** One answered request; counted when its status is one of REJECTION_STATUSES. */
    answered(status: number, sourceIp: string, endpoint: string, reason: string | null, now = Date.now()): void {
      if (REJECTION_STATUSES.has(status)) bursts.hit('rejections_burst', sourceIp, rejectionError(status, endpoint, reason), now)
    },
    step: (now = Date.now()): Promise<void> => bursts.step(now),
  }
}
