// Notification targets: URLs off the desk (a supervisor's phone relay, a chat bridge) that receive
// every alert change as a signed JSON POST (Standard Webhooks). Schemas for what an admin enters,
// the views the desk and the CLI show, and the one rule that says which alerts a target gets.
import { z } from 'zod'
import type { AlertSeverity, AlertView } from './domain'

/** 1 is the most urgent; a target with `min_priority` 3 gets alerts of priority 1, 2 and 3. */
export const PRIORITIES = [1, 2, 3, 4, 5] as const
export type Priority = (typeof PRIORITIES)[number]

/** Severities on the priority scale: alerts stored before priorities existed, and the filter's words. */
export const SEVERITY_PRIORITY: Record<AlertSeverity, Priority> = { critical: 1, warning: 3, info: 5 }

/**
 * An alert's priority: its own `priority` (1–5, from its kind's setting when raised), else — a
 * snapshot written before priorities — its severity's (critical → 1, warning → 3, info → 5).
 * The only place a target's filter asks this.
 */
export function alertPriority(alert: Pick<AlertView, 'severity'> & { priority?: unknown }): Priority {
  const own = alert.priority
  if (typeof own === 'number' && (PRIORITIES as readonly number[]).includes(own)) return own as Priority
  return SEVERITY_PRIORITY[alert.severity] ?? 1
}

/** Whether a target set to `minPriority` is sent this alert's changes. */
export const targetWants = (minPriority: number, alert: Parameters<typeof alertPriority>[0]): boolean => alertPriority(alert) <= minPriority

/** What the desk and the CLI print for a filter: "1–3 (critical, warning)". */
export function priorityFilterText(minPriority: number): string {
  const severities = (Object.keys(SEVERITY_PRIORITY) as AlertSeverity[]).filter((s) => SEVERITY_PRIORITY[s] <= minPriority)
  return `${minPriority === 1 ? '1' : `1–${minPriority}`} (${severities.join(', ') || 'none today'})`
}

export const DEFAULT_MIN_PRIORITY: Priority = 5
/** Targets a station keeps at most (each is called for every alert change it wants). */
export const MAX_TARGETS = 20
export const MAX_TARGET_URL_LENGTH = 2048

export const targetNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(64, 'At most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'Letters, digits, dot, dash and underscore; starting with a letter or digit')

/**
 * An http(s) URL with a host and nothing that would leak or mislead: no user:password (the URL is
 * shown on the desk), no fragment. Returns the URL as it will be called, or the reason it is refused.
 */
export function parseTargetUrl(text: string): { ok: true; url: string } | { ok: false; error: string } {
  const trimmed = text.trim()
  if (trimmed.length === 0) return { ok: false, error: 'Enter the URL that receives the notifications' }
  if (trimmed.length > MAX_TARGET_URL_LENGTH) return { ok: false, error: `At most ${MAX_TARGET_URL_LENGTH} characters` }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return { ok: false, error: 'Not a URL (expected https://host/path)' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, error: `Only http:// and https:// URLs are called (got ${url.protocol})` }
  if (url.hostname === '') return { ok: false, error: 'The URL has no host' }
  if (url.username !== '' || url.password !== '')
    return { ok: false, error: 'Put no user name or password in the URL: it is shown on the desk' }
  if (url.hash !== '') return { ok: false, error: 'Remove the #fragment: it is never sent' }
  return { ok: true, url: url.href }
}

export const targetUrlSchema = z.string().transform((text, ctx) => {
  const parsed = parseTargetUrl(text)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error })
    return z.NEVER
  }
  return parsed.url
})

export const minPrioritySchema = z.number().int().min(1).max(5)

export const notifyTargetInputSchema = z.object({
  name: targetNameSchema,
  url: targetUrlSchema,
  min_priority: minPrioritySchema.default(DEFAULT_MIN_PRIORITY),
})
export type NotifyTargetInput = z.input<typeof notifyTargetInputSchema>

export interface NotifyTargetView {
  id: number
  name: string
  kind: 'webhook'
  url: string
  min_priority: number
  /** The signing secret, masked: `whsec_` and its last 4 characters. */
  secret_masked: string
  created_at: string
  last_attempt_at: string | null
  last_success_at: string | null
  /** HTTP status of the last attempt (null: no answer: refused, timed out, TLS error…). */
  last_status: number | null
  /** Why the last attempt failed; null after a success. */
  last_error: string | null
  /** First failure since the last success; null while the target is healthy. */
  failing_since: string | null
  /** Deliveries waiting for their next attempt. */
  pending: number
  /** Deliveries given up after a day of retries. */
  given_up: number
}

export interface NotifyTestResult {
  ok: boolean
  status: number | null
  error: string | null
  duration_ms: number
}

/** The kinds of change a notification reports (its `type` is `alert.<change>`). */
export type AlertChange = 'raised' | 'acknowledged' | 'investigating' | 'snoozed' | 'reopened' | 'resolved' | 'recorded' | 'updated'

/** The JSON body of every notification (Standard Webhooks' recommended type/timestamp/data shape). */
export interface AlertNotification {
  type: `alert.${AlertChange}`
  /** When the change happened (ISO 8601); the attempt's own time is the `webhook-timestamp` header. */
  timestamp: string
  /** One line for chat relays and phone notifications. */
  text: string
  data: { change: AlertChange; priority: Priority; alert: AlertView }
}
