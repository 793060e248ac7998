// The log view's exports: CSV/JSON of filtered rows, and a request replayed as a re-signed curl.
import type { WebhookLogDetail, WebhookLogRecord } from '../../../shared/log'
import { endpointFromPath, type EndpointName } from '../../../shared/webhooks'
import { SIGNATURE_HEADER, signatureHeaderValue } from '../receiver/signature'
import { DeskError } from './errors'

const FIELDS = ['id', 'endpoint', 'method', 'status', 'source_ip', 'received_at', 'response_time_ms', 'reason', 'count'] as const

const csvCell = (v: string | number | boolean | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v)
  // Quote when needed; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** One page of an export: CSV lines (with the header when `first`) or a JSON array. */
export function exportLogs(
  rows: WebhookLogRecord[],
  format: 'csv' | 'json',
  first = true,
): { filename: string; mime: string; content: string } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  if (format === 'json') {
    return { filename: `gatehouse-logs-${stamp}.json`, mime: 'application/json', content: JSON.stringify(rows, null, 2) }
  }
  const lines = [...(first ? [FIELDS.join(',')] : []), ...rows.map((r) => FIELDS.map((f) => csvCell(r[f])).join(','))]
  return { filename: `gatehouse-logs-${stamp}.csv`, mime: 'text/csv', content: lines.length ? `${lines.join('\r\n')}\r\n` : '' }
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** A curl command that replays the logged request, signed with the source's current secret. */
export function curlFor(entry: WebhookLogDetail, baseUrl: string, secretOf: (e: EndpointName) => string): string {
  const endpoint = endpointFromPath(entry.endpoint)
  if (!endpoint) throw new DeskError('NOT_A_WEBHOOK', `${entry.endpoint} is not a webhook endpoint`)
  if (entry.body_truncated) throw new DeskError('BODY_TRUNCATED', 'The body was larger than the log keeps; it cannot be replayed')
  const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
  const header = SIGNATURE_HEADER[scheme] === 'x-cvent-signature' ? 'X-Cvent-Signature' : 'X-GxP-Signature'
  const signature = signatureHeaderValue(scheme, secretOf(endpoint), entry.body)
  return [
    `curl -X POST ${shellQuote(`${baseUrl.replace(/\/$/, '')}${entry.endpoint}`)}`,
    `-H 'Content-Type: application/json'`,
    `-H ${shellQuote(`${header}: ${signature}`)}`,
    `--data-binary ${shellQuote(entry.body)}`,
  ].join(' \\\n  ')
}
