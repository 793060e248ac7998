// Counts refusals per (kind, subject) — the subject is an endpoint — in a sliding window, with the
// addresses they come from. Says when a burst begins, which open bursts grew since it was last
// asked, and which have gone quiet so their alert can resolve. Memory is bounded: one entry per
// kind and endpoint, and at most `maxSources` addresses counted one by one in each.
import type { AlertSource } from '../../../shared/domain'

export interface BurstOptions {
  /** Refusals within `windowMs` that start a burst. */
  threshold: number
  windowMs: number
  /** A burst ends after this long without a refusal. */
  quietMs: number
  maxSources?: number
  topSources?: number
  /** Subjects counted at once, at most (when subjects are source addresses, an attacker picks them). */
  maxSubjects?: number
}

export interface BurstSummary<K extends string> {
  kind: K
  subject: string
  /** Refusals since the burst's first one. */
  count: number
  /** Distinct addresses seen (a lower bound once `sourcesCapped`). */
  sources: number
  sourcesCapped: boolean
  top: AlertSource[]
  /** The first refusal of the burst (epoch ms). */
  since: number
}

interface State<K extends string> {
  kind: K
  subject: string
  times: number[]
  raised: boolean
  dirty: boolean
  since: number
  last: number
  count: number
  perSource: Map<string, number>
  capped: boolean
}

export function createBurstDetector<K extends string>(options: BurstOptions) {
  const maxSources = options.maxSources ?? 1000
  const topN = options.topSources ?? 5
  const maxSubjects = options.maxSubjects ?? Infinity
  const states = new Map<string, State<K>>()

  const summary = (s: State<K>): BurstSummary<K> => ({
    kind: s.kind,
    subject: s.subject,
    count: s.count,
    sources: s.perSource.size,
    sourcesCapped: s.capped,
    top: [...s.perSource]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, topN)
      .map(([address, count]) => ({ address, count })),
    since: s.since,
  })

  return {
    /** Records one refusal; returns the burst's summary exactly when this one starts it. */
    hit(kind: K, subject: string, address: string, now = Date.now()): BurstSummary<K> | null {
      const key = `${kind}|${subject}`
      let s = states.get(key)
      // Below the threshold, refusals older than the window are forgotten.
      if (s && !s.raised && now - s.last > options.windowMs) s = undefined
      if (!s && states.size >= maxSubjects) {
        // Full: forget subjects below the threshold that went quiet; a burst already raised stays.
        for (const [k, old] of states) if (!old.raised && now - old.last > options.windowMs) states.delete(k)
        if (states.size >= maxSubjects) return null
      }
      if (!s) {
        s = { kind, subject, times: [], raised: false, dirty: false, since: now, last: now, count: 0, perSource: new Map(), capped: false }
        states.set(key, s)
      }
      s.last = now
      s.count++
      const seen = s.perSource.get(address)
      if (seen !== undefined) s.perSource.set(address, seen + 1)
      else if (s.perSource.size < maxSources) s.perSource.set(address, 1)
      else s.capped = true
      if (s.raised) {
        s.dirty = true
        return null
      }
      s.times.push(now)
      while (s.times.length > 0 && s.times[0]! <= now - options.windowMs) s.times.shift()
      if (s.times.length < options.threshold) return null
      s.raised = true
      s.times = []
      return summary(s)
    },
    /** Open bursts with refusals since the last call. */
    changed(): Array<BurstSummary<K>> {
      const out: Array<BurstSummary<K>> = []
      for (const s of states.values()) {
        if (!s.dirty) continue
        s.dirty = false
        out.push(summary(s))
      }
      return out
    },
    /** Bursts that have been quiet long enough (they are forgotten), with their final summary. */
    quiet(now = Date.now()): Array<BurstSummary<K>> {
      const out: Array<BurstSummary<K>> = []
      for (const [key, s] of states) {
        if (now - s.last < (s.raised ? options.quietMs : options.windowMs)) continue
        if (s.raised) out.push(summary(s))
        states.delete(key)
      }
      return out
    },
  }
}
