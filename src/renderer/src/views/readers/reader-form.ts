// A reader's settings as typed in the admin table, and their checks (the station's limits).
import type { ReaderView } from '../../../../shared/domain'
import type { Direction } from '../../../../shared/venue'

export interface ReaderDraft {
  /** `team/project`, or '' for the default project. */
  project: string
  /** Comma list; '' allows every attendee type. */
  types: string
  /** Seconds; '' (or 0) is off. */
  antiPassback: string
  /** Zone name; '' for none. */
  zone: string
  direction: Direction
  /** "08:00-18:30,20:00-23:00"; '' is always open. */
  hours: string
}

export const draftOf = (r: ReaderView): ReaderDraft => ({
  project: r.project ?? '',
  types: (r.allowed_types ?? []).join(', '),
  antiPassback: r.anti_passback_seconds ? String(r.anti_passback_seconds) : '',
  zone: r.zone ?? '',
  direction: r.direction,
  hours: r.open_windows ?? '',
})

export const sameDraft = (a: ReaderDraft, b: ReaderDraft): boolean =>
  a.project === b.project &&
  a.types.trim() === b.types.trim() &&
  a.antiPassback.trim() === b.antiPassback.trim() &&
  a.zone.trim() === b.zone.trim() &&
  a.direction === b.direction &&
  a.hours.replace(/\s/g, '') === b.hours.replace(/\s/g, '')

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string }

/** "VIP, staff" → ['VIP', 'staff']; empty → null (every type). Duplicates are dropped. */
export function parseTypes(text: string): Parsed<string[] | null> {
  const types = [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ]
  if (types.length === 0) return { ok: true, value: null }
  if (types.length > 50) return { ok: false, error: 'At most 50 types' }
  const long = types.find((t) => t.length > 64)
  if (long) return { ok: false, error: `“${long.slice(0, 20)}…” is longer than 64 characters` }
  return { ok: true, value: types }
}

/** Whole seconds 0–86400; empty or 0 → null (off). */
export function parseAntiPassback(text: string): Parsed<number | null> {
  const t = text.trim()
  if (t === '') return { ok: true, value: null }
  if (!/^\d+$/.test(t)) return { ok: false, error: 'Whole seconds, or empty for off' }
  const n = Number(t)
  if (n > 86_400) return { ok: false, error: 'At most 86400 s (a day)' }
  return { ok: true, value: n === 0 ? null : n }
}
