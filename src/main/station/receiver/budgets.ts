// Rate budgets: fixed one-minute windows per key, in memory. The receiver keeps two kinds (see
// app.ts): requests whose signature verified, per source and endpoint, and refusals, per source.
// The number of keys is bounded, so a client cycling through addresses cannot grow it without limit.

export interface BudgetOptions {
  /** Charges allowed per key per window; 0 means no limit. */
  perMinute: number
  windowMs?: number
  maxKeys?: number
}

export interface Charge {
  ok: boolean
  limit: number
  remaining: number
  /** Seconds until the window resets (at least 1). */
  retryAfterS: number
}

export type Budget = ReturnType<typeof createBudget>

export function createBudget(options: BudgetOptions) {
  const windowMs = options.windowMs ?? 60_000
  const maxKeys = options.maxKeys ?? 50_000
  const limit = options.perMinute
  const windows = new Map<string, { start: number; used: number }>()

  const current = (key: string, now: number): { start: number; used: number } | undefined => {
    const w = windows.get(key)
    if (w && now - w.start >= windowMs) {
      windows.delete(key)
      return undefined
    }
    return w
  }
  const answer = (used: number, start: number, now: number): Charge => ({
    ok: used <= limit,
    limit,
    remaining: Math.max(0, limit - used),
    retryAfterS: Math.max(1, Math.ceil((start + windowMs - now) / 1000)),
  })

  /** Drops finished windows, then the oldest keys, until there is room for one more. */
  const makeRoom = (now: number): void => {
    if (windows.size < maxKeys) return
    for (const [key, w] of windows) if (now - w.start >= windowMs) windows.delete(key)
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break
      windows.delete(key)
    }
  }

  return {
    enabled: limit > 0,
    /** Counts one request against `key`. */
    charge(key: string, now = Date.now()): Charge {
      if (limit <= 0) return { ok: true, limit, remaining: Infinity, retryAfterS: 1 }
      let w = current(key, now)
      if (!w) {
        makeRoom(now)
        w = { start: now, used: 0 }
        windows.set(key, w)
      }
      w.used++
      return answer(w.used, w.start, now)
    },
    /** Whether `key` has used its budget for this window, without charging it. */
    exhausted(key: string, now = Date.now()): Charge | null {
      if (limit <= 0) return null
      const w = current(key, now)
      return w && w.used >= limit ? answer(w.used + 1, w.start, now) : null
    },
  }
}
