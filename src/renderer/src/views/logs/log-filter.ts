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

/** datetime-local values are local time; the station wants ISO with a zone. */
const toIso = (local: string): string | undefined => {
  if (!local) return undefined
  const ms = new Date(local).getTime()
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
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

export function download(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
