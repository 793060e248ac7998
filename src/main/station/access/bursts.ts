// Counts refusals per (kind, source address) in a sliding window; says when a burst begins
// and, later, which bursts have gone quiet so their alerts can resolve.
export interface BurstOptions {
  threshold: number
  windowMs: number
  /** A burst ends after this long without a refusal. */
  quietMs: number
}

export function createBurstDetector<K extends string>(options: BurstOptions) {
  const hits = new Map<string, { kind: K; subject: string; times: number[]; raised: boolean; last: number }>()
  return {
    /** Records one refusal; true exactly when this one starts a burst. */
    hit(kind: K, subject: string, now = Date.now()): boolean {
      const key = `${kind}|${subject}`
      let h = hits.get(key)
      if (!h) hits.set(key, (h = { kind, subject, times: [], raised: false, last: now }))
      h.last = now
      h.times.push(now)
      while (h.times.length > 0 && h.times[0]! <= now - options.windowMs) h.times.shift()
      if (h.times.length > options.threshold) h.times.shift()
      if (!h.raised && h.times.length >= options.threshold) {
        h.raised = true
        return true
      }
      return false
    },
    /** Bursts that have been quiet long enough; they are forgotten. */
    quiet(now = Date.now()): Array<{ kind: K; subject: string }> {
      const out: Array<{ kind: K; subject: string }> = []
      for (const [key, h] of hits) {
        if (now - h.last < options.quietMs) continue
        if (h.raised) out.push({ kind: h.kind, subject: h.subject })
        hits.delete(key)
      }
      return out
    },
  }
}
