// The last hour as 60 one-minute slots (empty minutes as zeros), for the scans chart.
import type { MinuteBucket } from '../../../../shared/contract'

export interface MinuteSlot {
  minute: number
  label: string
  granted: number
  denied: number
}

const pad = (n: number): string => String(n).padStart(2, '0')

export function lastHour(buckets: MinuteBucket[], now: number): MinuteSlot[] {
  const byMinute = new Map(buckets.map((b) => [b.minute, b]))
  const current = Math.floor(now / 60_000) * 60_000
  const slots: MinuteSlot[] = []
  for (let i = 59; i >= 0; i--) {
    const minute = current - i * 60_000
    const b = byMinute.get(minute)
    const d = new Date(minute)
    slots.push({ minute, label: `${pad(d.getHours())}:${pad(d.getMinutes())}`, granted: b?.granted ?? 0, denied: b?.denied ?? 0 })
  }
  return slots
}
