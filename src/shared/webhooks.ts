// GxP Incoming Webhooks v1: the four endpoints, their request bodies and response bodies.
// These schemas are the single source of both the runtime checks and the types.
import { z } from 'zod'
import { canonicalId, canonicalName, canonicalText } from './canonical-text'

export const ENDPOINTS = ['mqtt-gateway-status', 'access-event', 'cvent', 'attendee-sync'] as const
export type EndpointName = (typeof ENDPOINTS)[number]
export const endpointNameSchema = z.enum(ENDPOINTS)

export const WEBHOOK_PREFIX = '/webhook/v1/'
export const endpointPath = (name: EndpointName): string => `${WEBHOOK_PREFIX}${name}`

export function endpointFromPath(path: string): EndpointName | undefined {
  if (!path.startsWith(WEBHOOK_PREFIX)) return undefined
  const rest = path.slice(WEBHOOK_PREFIX.length)
  return (ENDPOINTS as readonly string[]).includes(rest) ? (rest as EndpointName) : undefined
}

/** Environment variable suffix of each source, e.g. GATEHOUSE_SECRET_ACCESS_EVENT. */
export const envSuffix = (name: EndpointName): string => name.toUpperCase().replace(/-/g, '_')

// ISO 8601 with a zone designator (Z or ±hh:mm), as every timestamp in the doc.
export const isoTimestamp = z.iso.datetime({ offset: true })
// Every identifier and credential is canonical (NFC, trimmed, no control or format characters):
// see canonical-text.ts and the README's API section.
const id = (max: number) => canonicalId(max)
/** Free-text status up to 32 characters; known values drive health, others are kept and shown. */
const statusText = canonicalId(32)

export const readerStatusSchema = z.object({
  reader_id: id(128),
  status: statusText,
  last_scan: isoTimestamp.nullish(),
})

export const gatewayStatusSchema = z.object({
  gateway_id: id(128),
  status: statusText,
  readers: z.array(readerStatusSchema).max(1000).optional(),
  timestamp: isoTimestamp.optional(),
})
export type GatewayStatusPayload = z.infer<typeof gatewayStatusSchema>

export const accessEventSchema = z.object({
  reader_id: id(128),
  credential_value: id(512),
  scan_type: canonicalId(32).optional(),
  timestamp: isoTimestamp.optional(),
})
export type AccessEventPayload = z.infer<typeof accessEventSchema>

export const CVENT_EVENT_TYPES = ['registration.created', 'registration.updated', 'registration.cancelled', 'attendee.checked_in'] as const
export type CventEventType = (typeof CVENT_EVENT_TYPES)[number]

const optionalText = (max: number) => canonicalName(0, max).nullish()

export const cventAttendeeSchema = z.object({
  first_name: optionalText(100),
  last_name: optionalText(100),
  email: z.email().max(254).nullish(),
  attendee_type: canonicalText(0, 64).nullish(),
})

export const cventEventSchema = z.object({
  event_type: z.enum(CVENT_EVENT_TYPES),
  event_id: id(128),
  data: z.object({
    registration_id: id(128),
    attendee: cventAttendeeSchema.optional(),
  }),
  timestamp: isoTimestamp,
})
export type CventEventPayload = z.infer<typeof cventEventSchema>

export const SYNC_MODES = ['upsert', 'create', 'update'] as const
export type SyncMode = (typeof SYNC_MODES)[number]

const slug = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must contain only letters, digits, dots, dashes and underscores')

/** One row of an attendee-sync batch. Rows are validated one by one: a bad row never fails the batch. */
export const syncAttendeeSchema = z.object({
  external_id: id(128),
  first_name: canonicalName(1, 100),
  last_name: canonicalName(1, 100),
  email: z.email().max(254).nullish(),
  attendee_type: canonicalId(64).nullish(),
  credential_value: canonicalId(512).nullish(),
})
export type SyncAttendee = z.infer<typeof syncAttendeeSchema>

export const MAX_SYNC_ROWS = 200_000

/** The batch envelope; each row is checked separately against `syncAttendeeSchema`. */
export const attendeeSyncSchema = z.object({
  project_slug: slug,
  team_slug: slug,
  sync_mode: z.enum(SYNC_MODES).default('upsert'),
  attendees: z.array(z.unknown()).max(MAX_SYNC_ROWS),
})
export type AttendeeSyncPayload = z.infer<typeof attendeeSyncSchema>

export const webhookSchemas = {
  'mqtt-gateway-status': gatewayStatusSchema,
  'access-event': accessEventSchema,
  cvent: cventEventSchema,
  'attendee-sync': attendeeSyncSchema,
} as const satisfies Record<EndpointName, z.ZodType>

export type WebhookPayloads = { [K in EndpointName]: z.infer<(typeof webhookSchemas)[K]> }

/**
 * A body checked against its endpoint's schema. An attendee-sync's rows are each checked as they
 * are applied (syncAttendeeSchema), so the envelope is checked with its rows set aside: zod copying
 * a 100k-row array of unknowns held the receiver's loop for 50 ms. Same issues, same result.
 */
export function parseWebhookPayload(endpoint: EndpointName, value: unknown) {
  const rows = (value as { attendees?: unknown } | null)?.attendees
  if (endpoint !== 'attendee-sync' || typeof value !== 'object' || !Array.isArray(rows) || rows.length > MAX_SYNC_ROWS)
    return webhookSchemas[endpoint].safeParse(value)
  const result = attendeeSyncSchema.safeParse({ ...value, attendees: [] })
  if (result.success) result.data.attendees = rows as unknown[]
  return result
}

// ---- Response bodies -------------------------------------------------------------------

export const DECISION_REASONS = [
  'granted',
  'unknown_credential',
  'cancelled',
  'reader_disabled',
  'not_permitted',
  'duplicate_scan',
  'credential_conflict',
  'lockdown',
  'outside_window',
  'blocked',
  'anti_passback',
  'zone_full',
  'override',
] as const
export type DecisionReason = (typeof DECISION_REASONS)[number]

export interface AccessEventResponse {
  success: true
  access_granted: boolean
  attendee: { id: number; first_name: string; last_name: string } | null
  reason: DecisionReason
}

export interface SyncRowError {
  index: number
  external_id: string | null
  errors: Record<string, string[]>
}

export interface AttendeeSyncResponse {
  success: true
  results: { created: number; updated: number; skipped: number; errors: SyncRowError[] }
}

export interface ErrorBody {
  error: string
  message: string
  errors?: Record<string, string[]>
  retry_after?: number
}

/** The documented error bodies, byte for byte; the doc-silent ones use the same shape. */
export const ERRORS = {
  signature: { error: 'Invalid signature', message: 'The request signature does not match' },
  validation: { error: 'Validation failed', message: 'The given data was invalid' },
  rateLimited: { error: 'Too Many Requests', message: 'Rate limit exceeded' },
  forbidden: { error: 'Forbidden', message: 'The source address is not allowed for this endpoint' },
  notFound: { error: 'Not Found', message: 'The requested endpoint does not exist' },
  methodNotAllowed: { error: 'Method Not Allowed', message: 'Webhook endpoints accept POST only' },
  tooLarge: { error: 'Payload Too Large', message: 'The request body exceeds the limit for this endpoint' },
  unsupportedMediaType: { error: 'Unsupported Media Type', message: 'The request body must be application/json' },
  badRequest: { error: 'Bad Request', message: 'The request could not be read' },
  timeout: { error: 'Request Timeout', message: 'The request body was not received in time' },
  headersTooLarge: { error: 'Request Header Fields Too Large', message: 'The request headers are too large' },
  malformed: { error: 'Bad Request', message: 'The request is not valid HTTP' },
  replay: { error: 'Replay refused', message: 'The request was already received, or its timestamp is outside the accepted window' },
  unavailable: { error: 'Service Unavailable', message: 'The station cannot record this request right now; nothing was applied' },
  internal: { error: 'Internal Server Error', message: 'The station could not process the request' },
} as const satisfies Record<string, ErrorBody>
