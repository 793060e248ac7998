// The webhook log as the doc's "Webhook Log Entry", plus what the desk needs to debug a request.
import { z } from 'zod'

/** Exactly the doc's Webhook Log Entry shape (CLI --json prints arrays of these). */
export interface WebhookLogEntry {
  id: string
  endpoint: string
  method: string
  status: number
  source_ip: string
  received_at: string
  response_time_ms: number
}

export interface WebhookLogRecord extends WebhookLogEntry {
  /** Why a request was refused (or what was done with it); null for a plain success. */
  reason: string | null
  /** The body's own timestamp was far older than its arrival (see LATE_AFTER_SECONDS). */
  late: boolean
  /** The body's own timestamp was further ahead of its arrival than the allowed clock skew. */
  clock_ahead: boolean
  /** How many requests this entry stands for: 1, or more when a flood of refusals was aggregated. */
  count: number
  /** The last request folded into an aggregated entry (null for a single request). */
  last_received_at: string | null
  /** The request was refused before its signature was verified (or was a replay): stored small. */
  refused: boolean
}

export interface WebhookLogDetail extends WebhookLogRecord {
  /** The body's own `timestamp`, when it had a valid one. */
  sent_at: string | null
  headers: Record<string, string | string[]>
  /** The body as received (UTF-8 text); cut at the stored limit when `body_truncated`. */
  body: string
  body_size: number
  body_truncated: boolean
  /** SHA-256 (hex) of the whole body, kept for refused requests (whose body is cut at 1 KiB). */
  body_sha256: string | null
}

/** A status filter: an exact code (403) or a class ("4xx"). */
export const statusFilterSchema = z.union([z.coerce.number().int().min(100).max(599), z.enum(['2xx', '3xx', '4xx', '5xx'])])
export type StatusFilter = z.infer<typeof statusFilterSchema>

export const logFilterSchema = z
  .object({
    endpoint: z.string().max(512).optional(),
    status: statusFilterSchema.optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    /** Keyset paging: only entries older than this id (`log_123` or 123). */
    before: z.union([z.string().regex(/^(log_)?\d+$/), z.number().int().positive()]).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(100),
  })
  // A range that ends before it starts matches nothing; say so rather than show an empty log.
  .refine((f) => f.since === undefined || f.until === undefined || Date.parse(f.since) <= Date.parse(f.until), {
    message: 'since (From) is after until (To): the range is empty',
    path: ['until'],
  })
export type LogFilter = z.input<typeof logFilterSchema>

export const logIdNumber = (id: string | number): number => (typeof id === 'number' ? id : Number(id.startsWith('log_') ? id.slice(4) : id))
