// When a failed delivery is tried again: 5 s, 30 s, 2 min, 10 min, 30 min, then every hour until a
// day has passed since the first attempt, then it is given up. Injectable so tests take seconds.
export interface RetrySchedule {
  /** Waits after the 1st, 2nd, … failure (ms). */
  delaysMs: readonly number[]
  /** The wait after every later failure (ms). */
  repeatMs: number
  /** A delivery is given up once its next attempt would come later than this after its first (ms). */
  giveUpAfterMs: number
  /** Each wait is stretched by up to this fraction at random, so retries of many targets spread out. */
  jitter: number
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: [5_000, 30_000, 120_000, 600_000, 1_800_000],
  repeatMs: 3_600_000,
  giveUpAfterMs: 86_400_000,
  jitter: 0.1,
}

/** A `Retry-After` from the target is obeyed, up to this long. */
export const MAX_RETRY_AFTER_MS = 3_600_000

/**
 * The time of the next attempt after `failures` failed ones (1 = the first attempt failed), or
 * null when the delivery is to be given up. `retryAfterMs` is what the target asked for, if anything.
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  failures: number,
  firstAttemptAt: number,
  now: number,
  retryAfterMs: number | null = null,
  random: () => number = Math.random,
): number | null {
  const base = schedule.delaysMs[failures - 1] ?? schedule.repeatMs
  const asked = retryAfterMs === null ? 0 : Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS)
  const wait = Math.max(base * (1 + schedule.jitter * random()), asked)
  const at = now + Math.round(wait)
  return at - firstAttemptAt > schedule.giveUpAfterMs ? null : at
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000
  const at = Date.parse(text)
  return Number.isNaN(at) ? null : Math.max(0, at - now)
}
