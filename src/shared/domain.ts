// What the station knows about the venue, as the desk and the CLI see it.
import type { DecisionReason } from './webhooks'
import type { Direction, WatchKind } from './venue'

export type GatewayHealth = 'online' | 'degraded' | 'offline' | 'unknown'
export type ReaderHealth = 'healthy' | 'degraded' | 'unknown'

export interface ReaderView {
  reader_id: string
  gateway_id: string | null
  /** The status text as last reported (free text, up to 32 characters). */
  status: string | null
  health: ReaderHealth
  last_scan: string | null
  last_seen: string | null
  project: string | null
  enabled: boolean
  allowed_types: string[] | null
  anti_passback_seconds: number | null
  /** The zone a granted scan moves people into or out of, per `direction`. */
  zone: string | null
  direction: Direction
  /** Opening hours ("08:00-18:30,20:00-23:00", station local time); null: always open. */
  open_windows: string | null
}

export interface GatewayView {
  gateway_id: string
  /** The status text as last reported. */
  status: string
  health: GatewayHealth
  last_seen: string
  reported_at: string | null
  readers: ReaderView[]
  reader_counts: { total: number; healthy: number; degraded: number; unknown: number }
}

export interface DecisionView {
  id: number
  reader_id: string
  credential_value: string
  scan_type: string | null
  scanned_at: string | null
  decided_at: string
  access_granted: boolean
  reason: DecisionReason
  attendee: { id: number; first_name: string; last_name: string } | null
  project: string | null
  /** The zone of the reader, and where a grant moved the person ('in', 'out'), if it did. */
  zone: string | null
  movement: 'in' | 'out' | null
  /** The officer whose override granted it. */
  override_by: string | null
  /** A watch-list flag on the credential or attendee (a VIP arriving, a blocked badge used). */
  watch: { kind: WatchKind; note: string } | null
}

export type AttendeeStatus = 'active' | 'cancelled' | 'checked_in'

export interface AttendeeView {
  id: number
  project: string
  external_id: string
  first_name: string
  last_name: string
  email: string | null
  attendee_type: string
  credential_value: string
  status: AttendeeStatus
  cancelled: boolean
  checked_in_at: string | null
  last_scan_at: string | null
  source: 'sync' | 'cvent'
  updated_at: string
}

/** A credential two people claim within a project: denied to both until an admin resolves it. */
export interface CredentialConflictView {
  id: number
  project: string
  credential: string
  holders: Array<{ kind: 'attendee' | 'cvent_registration'; id: string }>
  /** 'migration' (duplicates found on upgrade) or 'cvent' (a registration claiming a held credential). */
  cause: string
  raised_at: string
  resolved_at: string | null
  resolved_by: string | null
}

export const ALERT_KINDS = [
  'gateway_offline',
  'reader_disconnected',
  'signature_burst',
  'refused_source_burst',
  'store_failure',
  'integrity_failure',
  'credential_conflict',
  'clock_skew',
  'zone_near_capacity',
  'zone_at_capacity',
  'blocked_credential',
  'watchlist_arrival',
  'store_space_low',
  'notification_failing',
  'rejections_burst',
  'reader_silent',
  'gateway_refused',
] as const
export type AlertKind = (typeof ALERT_KINDS)[number]
export type AlertSeverity = 'critical' | 'warning' | 'info'

/** open → acknowledged → investigating (optional) → resolved; snoozed (priority 3–5) comes back open. */
export const ALERT_STATES = ['open', 'acknowledged', 'investigating', 'snoozed', 'resolved'] as const
export type AlertState = (typeof ALERT_STATES)[number]

export interface AlertView {
  id: number
  kind: AlertKind
  severity: AlertSeverity
  subject: string
  message: string
  raised_at: string
  resolved_at: string | null
  acknowledged_at: string | null
  acknowledged_by: string | null
  /** A burst's refusals so far (it is updated while the burst lasts); null for other kinds. */
  count: number | null
  /** A burst's busiest source addresses, most refusals first; null for other kinds. */
  top_sources: AlertSource[] | null
  /** 1 (most urgent) … 5: the kind's priority when it was raised (an admin sets it per kind). */
  priority: number
  state: AlertState
  /** While snoozed: when it comes back open. */
  snoozed_until: string | null
  investigating_at: string | null
  investigating_by: string | null
  /** Who resolved it: an operator, or `station` when its cause cleared. */
  resolved_by: string | null
  /** How many times it happened: a resolved alert recurring within its reactivation window reopens with one more. */
  occurrences: number
  /** When it last reopened (recurred, or came back from a snooze). */
  reopened_at: string | null
  /** A rejections burst's most frequent errors ("400 /webhook/v1/access-event: …"), most first; null for other kinds. */
  top_errors: AlertError[] | null
}

export interface AlertError {
  error: string
  count: number
}

export interface AlertSource {
  address: string
  count: number
}

export interface SyncSummary {
  project: string
  sync_mode: string
  created: number
  updated: number
  skipped: number
  errors: number
  at: string
}

export interface ProjectView {
  id: number
  team_slug: string
  project_slug: string
  /** `team/project`, how the desk and CLI name a project. */
  name: string
  is_default: boolean
  is_cvent: boolean
  attendees: number
}

/** The gateway id the desk's "send test webhook" uses; it is never reported as silent. */
export const TEST_GATEWAY_ID = 'GATEHOUSE-TEST'
