// How the desk works an alert: its priority (1 = most urgent … 5), its state, the instructions an
// admin wrote for its kind, and the history of who did what to it. Schemas here are the desk
// commands' and the CLI's input checks; the defaults are what a kind has until an admin changes it.
import { z } from 'zod'
import { ALERT_KINDS, type AlertKind } from './domain'

export { ALERT_STATES, type AlertState } from './domain'

/** What the history records: the transitions, and a note added at any step. */
export const ALERT_ACTIONS = ['raised', 'acknowledged', 'investigating', 'snoozed', 'woke', 'noted', 'resolved', 'reopened'] as const
export type AlertAction = (typeof ALERT_ACTIONS)[number]

/** Who the history names for what the station did on its own (raised, resolved by the cause clearing). */
export const STATION_OPERATOR = 'station'

/** Only alerts of these priorities may be snoozed: a priority 1 or 2 stays in front of the desk. */
export const SNOOZE_MIN_PRIORITY = 3
export const MAX_SNOOZE_MINUTES = 24 * 60
export const MAX_NOTE_LENGTH = 2000
export const MAX_INSTRUCTIONS_LENGTH = 2000
/** A kind's reactivation window: at most a week. */
export const MAX_REACTIVATION_MINUTES = 7 * 24 * 60

/** Defaults per kind: a store or integrity fault, an offline gateway, a conflict or a blocked badge come first. */
export const DEFAULT_ALERT_PRIORITY: Record<AlertKind, number> = {
  gateway_offline: 1,
  reader_disconnected: 3,
  signature_burst: 3,
  refused_source_burst: 3,
  store_failure: 1,
  integrity_failure: 1,
  credential_conflict: 1,
  clock_skew: 3,
  zone_near_capacity: 3,
  zone_at_capacity: 1,
  blocked_credential: 1,
  watchlist_arrival: 5,
  store_space_low: 3,
  notification_failing: 3,
  rejections_burst: 3,
  reader_silent: 3,
  // A known gateway locked out (an allowlist edit, a rotated secret): its doors stop working.
  gateway_refused: 1,
}

/** The longest snooze a kind allows until an admin says otherwise. */
export const DEFAULT_SNOOZE_MAX_MINUTES = 240

/** A resolved alert that comes back within this window reopens (same id, one more occurrence). */
export const DEFAULT_REACTIVATION_MINUTES = 10

export const DEFAULT_INSTRUCTIONS: Partial<Record<AlertKind, string>> = {
  gateway_offline: "Check the gateway's power and network; call the gate supervisor if its doors are in use.",
  store_failure: 'Scans are denied while the store fails: free disk space or stop the other program holding the database.',
  integrity_failure: 'Restore the data directory from a backup when the venue allows; keep the station running only if it must.',
  rejections_burst: "A sender's requests are refused: check its configuration (a firmware update, a changed payload).",
  reader_silent: 'Walk to the reader: is it powered, and does a test badge beep?',
  gateway_refused:
    "A known gateway's requests are being refused (401/403): check the last allowlist change and the gateway's secret; its readers cannot grant until it is fixed.",
}

export interface AlertKindSettings {
  kind: AlertKind
  priority: number
  instructions: string
  reactivation_minutes: number
  /** The longest snooze an operator may choose (0: never snoozed); priorities 1–2 are never snoozed. */
  snooze_max_minutes: number
  /** Whether an admin changed anything (false: all defaults). */
  customised: boolean
  updated_at: string | null
  updated_by: string | null
}

export interface AlertNoteView {
  id: number
  alert_id: number
  at: string
  by: string
  action: AlertAction
  note: string | null
}

const operator = z.string().trim().min(1, 'Enter the operator name').max(100)
const note = z.string().trim().max(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters`)
const alertId = z.number().int().positive()

export const alertKindSchema = z.enum(ALERT_KINDS)
export const alertPrioritySchema = z.number().int().min(1).max(5)

export const alertActionInputs = {
  acknowledge: z.object({ id: alertId, by: operator, note: note.default('') }),
  investigate: z.object({ id: alertId, by: operator, note: note.default('') }),
  note: z.object({ id: alertId, by: operator, note: note.min(1, 'Write the note') }),
  snooze: z.object({ id: alertId, by: operator, minutes: z.number().int().min(1).max(MAX_SNOOZE_MINUTES), note: note.default('') }),
  resolve: z.object({ id: alertId, by: operator, note: note.default('') }),
}

export const alertKindSettingsInputSchema = z.object({
  kind: alertKindSchema,
  priority: alertPrioritySchema.optional(),
  instructions: z.string().trim().max(MAX_INSTRUCTIONS_LENGTH).optional(),
  reactivation_minutes: z.number().int().min(0).max(MAX_REACTIVATION_MINUTES).optional(),
  snooze_max_minutes: z.number().int().min(0).max(MAX_SNOOZE_MINUTES).optional(),
  /** Back to the defaults (the other fields are ignored). */
  reset: z.boolean().default(false),
  by: operator,
})

export const alertExportInputSchema = z
  .object({
    since: z.iso.datetime({ offset: true }),
    until: z.iso.datetime({ offset: true }),
    format: z.enum(['csv', 'json']),
  })
  .refine((r) => Date.parse(r.since) <= Date.parse(r.until), { message: '`since` must not be after `until`', path: ['until'] })

/** The desk's queue order: most urgent priority first, then the oldest (waiting longest). */
export function queueOrder(
  a: { priority: number; raised_at: string; id: number },
  b: { priority: number; raised_at: string; id: number },
): number {
  return a.priority - b.priority || a.raised_at.localeCompare(b.raised_at) || a.id - b.id
}
