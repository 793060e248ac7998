// A body timestamp orders events only up to the station's own clock. One stamped further ahead of
// its arrival than the allowed skew comes from a wrong clock (or a forgery): for ordering it counts
// as its arrival time, so it can never make a later, true event look older.

export interface Stamp {
  /** The time to order by. */
  at: number
  /** The timestamp was more than the skew ahead of arrival. */
  ahead: boolean
}

export function orderingTime(sentAt: number, receivedAt: number, skewMs: number): Stamp {
  return sentAt - receivedAt > skewMs ? { at: receivedAt, ahead: true } : { at: sentAt, ahead: false }
}

/** "3 h 12 min", "45 s": how far apart two clocks are, for an operator. */
export function skewText(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000)
  if (s < 120) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 120) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h} h ${m % 60} min`
  const d = Math.round(h / 24)
  return d < 730 ? `${d} days` : `${Math.round(d / 365)} years`
}
