// The logs view's filter lives in the URL (`#/logs?endpoint=…&status=403`), so "View logs" links
// and the back button land on the same rows.
import type { LogFilter } from '../../../../shared/log'

export interface FilterForm {
  endpoint: string
  status: string
  since: string
  until: string
}

export const STATUS_PATTERN = /^([1-5]xx|[1-5]\d\d)$/

export function formFromParams(params: URLSearchParams): FilterForm {
  return {
    endpoint: params.get('endpoint') ?? '',
    status: params.get('status') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
  }
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/

/**
 * "2026-03-10 18:30" (or :05 seconds, or a T between): local time on the desk's 24-hour clock,
 * the way every time on the desk reads. Null for anything else, including 2026-02-30 or 24:00.
 */
export function parseLocalTime(text: string): number | null {
  const m = LOCAL_TIME.exec(text.trim())
  if (!m) return null
  const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number]
  const date = new Date(y, mo - 1, d, h, mi, se)
  const same =
    date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d && date.getHours() === h && date.getMinutes() === mi
  return same && h < 24 && mi < 60 && se < 60 ? date.getTime() : null
}

/** What is wrong with the form's range, in words, or null. */
export function rangeError(form: Pick<FilterForm, 'since' | 'until'>): string | null {
  const since = form.since.trim() ? parseLocalTime(form.since) : undefined
  const until = form.until.trim() ? parseLocalTime(form.until) : undefined
  if (since === null) return 'From is a date and 24-hour time: YYYY-MM-DD HH:MM'
  if (until === null) return 'To is a date and 24-hour time: YYYY-MM-DD HH:MM'
  if (since !== undefined && until !== undefined && since > until) return 'From is after To: nothing can match'
  return null
}

/** Local time in the form; the station wants ISO with a zone. */
const toIso = (local: string): string | undefined => {
  const ms = local.trim() ? parseLocalTime(local) : null
  return ms === null ? undefined : new Date(ms).toISOString()
}

export function toLogFilter(form: FilterForm): Omit<LogFilter, 'before' | 'limit'> {
  const status = form.status.trim().toLowerCase()
  return {
    endpoint: form.endpoint || undefined,
    status: STATUS_PATTERN.test(status) ? (status.endsWith('xx') ? status : Number(status)) : undefined,
    since: toIso(form.since),
    until: toIso(form.until),
  }
}
