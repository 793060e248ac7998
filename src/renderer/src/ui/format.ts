// How numbers, times, ages and reasons read on the desk: the one formatter every view uses —
// grouped digits in the operator's locale, a 24-hour local clock, plain words.
import type { DecisionReason } from '../../../shared/webhooks'
import type { AlertKind } from '../../../shared/domain'

const pad = (n: number): string => String(n).padStart(2, '0')

export function clock(iso: string | number | null): string {
  if (iso === null) return '—'
  const d = new Date(iso)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export function dateTime(iso: string | null): string {
  if (iso === null) return '—'
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(iso)}`
}

/** "4 s ago", "3 min ago", "2 h 5 min ago"; "never" for null. */
export function age(iso: string | null, now: number): string {
  if (iso === null) return 'never'
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000))
  if (s < 60) return `${s} s ago`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ago`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h} h ${m % 60} min ago`
  return `${Math.floor(h / 24)} days ago`
}

export const REASON_WORDS: Record<DecisionReason, string> = {
  granted: 'Valid credential',
  unknown_credential: 'Unknown credential',
  cancelled: 'Registration cancelled',
  reader_disabled: 'Reader disabled',
  not_permitted: 'Not permitted at this reader',
  duplicate_scan: 'Already scanned (anti-passback)',
  credential_conflict: 'Credential held by two people',
  lockdown: 'Lockdown',
  outside_window: 'Outside opening hours',
  blocked: 'Blocked (watch list)',
  anti_passback: 'Already inside (anti-passback)',
  zone_full: 'Zone full',
  override: 'Admitted by override',
}

export const ALERT_KIND_WORDS: Record<AlertKind, string> = {
  gateway_offline: 'Gateway offline',
  reader_disconnected: 'Reader disconnected',
  signature_burst: 'Bad signatures',
  refused_source_burst: 'Refused sources',
  store_failure: 'Storage failure',
  integrity_failure: 'Integrity failure',
  credential_conflict: 'Credential conflict',
  clock_skew: 'Clock skew',
  zone_near_capacity: 'Zone nearly full',
  zone_at_capacity: 'Zone at capacity',
  blocked_credential: 'Blocked badge used',
  watchlist_arrival: 'VIP arrival',
  store_space_low: 'Disk space low',
  notification_failing: 'Notifications failing',
  rejections_burst: 'Rejected requests',
  reader_silent: 'Reader silent',
  gateway_refused: 'Gateway refused',
}

export const STATUS_WORDS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Validation failed',
  401: 'Invalid signature',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Timeout',
  409: 'Conflict or replay',
  413: 'Too large',
  415: 'Not JSON',
  429: 'Rate limited',
  500: 'Server error',
  503: 'Unavailable',
}

export const statusClass = (status: number): 'ok' | 'client' | 'server' => (status < 400 ? 'ok' : status < 500 ? 'client' : 'server')

export const percent = (ratio: number): string => `${(ratio * 100).toFixed(ratio > 0 && ratio < 0.1 ? 1 : 0)}%`

// The operator's own locale for digit grouping ("4,500", "4.500", "4 500"), one formatter for the
// whole desk: counters, charts, tables and dialogs read the same. Times stay 24-hour (clock above).
const numbers = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
export const count = (n: number): string => numbers.format(n)

/** A log entry's reason: decision reasons in words, the station's own text otherwise. */
export const reasonText = (reason: string | null): string =>
  reason === null ? '' : ((REASON_WORDS as Record<string, string>)[reason] ?? reason)

/** "1.4 MB", "312 KB": decimal units, as disks and the retention limit (max_mb) count them. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)} MB`
  return `${(n / 1_000_000_000).toFixed(1)} GB`
}

/** "in 3 days", "in 5 h", "2 days ago": how far a future (or past) instant is. */
export function until(iso: string, now: number): string {
  const ms = Date.parse(iso) - now
  const abs = Math.abs(ms)
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 48 * 3_600_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`
  return ms >= 0 ? `in ${text}` : `${text} ago`
}

/**
 * A SHA-256 fingerprint ("66:B3:E6:…") as 16 groups of four hex digits, the way it is read
 * aloud to a gateway installer: "six six B three, E six six A, …".
 */
export function fingerprintGroups(fingerprint: string): string[] {
  const hex = fingerprint.replace(/[^0-9a-fA-F]/g, '').toUpperCase()
  return hex.match(/.{1,4}/g) ?? []
}
