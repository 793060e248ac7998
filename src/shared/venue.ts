// Venue rules as the desk and the CLI see them: zones and their occupancy, the watch list,
// overrides and lockdowns.

export type Direction = 'entry' | 'exit' | 'both'
export const DIRECTIONS = ['entry', 'exit', 'both'] as const

export interface ZoneView {
  name: string
  /** People inside now: granted entries − exits, by person. */
  inside: number
  capacity: number | null
  /** An entry at capacity is denied (zone_full). */
  hard: boolean
  anti_passback: boolean
  reset_hour: number | null
  last_reset_at: string | null
  readers: Array<{ reader_id: string; direction: Direction }>
  lockdown: LockdownView | null
}

export type WatchKind = 'blocked' | 'vip'

export interface WatchEntryView {
  id: number
  /** What is flagged: a credential (in any project)… */
  credential: string | null
  /** …or an attendee. */
  attendee: { id: number; external_id: string; name: string } | null
  kind: WatchKind
  note: string
  until: string | null
  created_by: string
  created_at: string
}

export interface OverrideView {
  id: number
  reader_id: string
  /** null: the next scan at the reader, whoever it is. */
  credential: string | null
  expires_at: string
  note: string
  created_by: string
  created_at: string
}

export interface LockdownView {
  /** null: every reader. */
  zone: string | null
  by: string
  at: string
  note: string
}
