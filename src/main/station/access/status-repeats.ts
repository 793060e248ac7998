// Liveness needs fresh bytes: a status body byte-identical to one accepted within the gateway
// timeout is a repeat (a replayed capture, or a gateway that sends the same bytes every time) and
// proves nothing. A repeat moves the window along, so a stream of identical reports never counts.
import { createHash } from 'node:crypto'

/** Entries are dropped once their window has passed; past this many, the oldest go first. */
const MAX_REMEMBERED = 100_000

export type StatusRepeats = ReturnType<typeof createStatusRepeats>

/** `window` (ms) is read at each use: the gateway timeout can change while the station runs. */
export function createStatusRepeats(window: number | (() => number)) {
  const windowOf = typeof window === 'number' ? () => window : window
  /** Body digest (hex) → when these bytes last arrived. */
  const seen = new Map<string, number>()
  let nextSweep = 0
  const sweep = (now: number): void => {
    const windowMs = windowOf()
    nextSweep = now + Math.min(windowMs, 60_000)
    for (const [k, at] of seen) if (now - at > windowMs) seen.delete(k)
  }
  return {
    digest: (raw: Buffer): Buffer => createHash('sha256').update(raw).digest(),
    /** When these bytes were last seen within the window (a repeat), or null (fresh); either way they are now seen. */
    check(digest: Buffer, now: number): number | null {
      if (now >= nextSweep) sweep(now)
      const key = digest.toString('hex')
      const last = seen.get(key)
      seen.delete(key)
      if (seen.size >= MAX_REMEMBERED) seen.delete(seen.keys().next().value!)
      seen.set(key, now)
      return last !== undefined && now - last <= windowOf() ? last : null
    },
    /** Seeds one accepted body (from the log, after a restart). */
    remember(digest: Buffer, at: number): void {
      seen.set(digest.toString('hex'), Math.max(seen.get(digest.toString('hex')) ?? 0, at))
    },
  }
}
