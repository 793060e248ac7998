// The one typed contract between the station and the desk: every command's input schema
// (validated again in main), every command's result type, and the pushed events.
import { z } from 'zod'
import { endpointNameSchema, type EndpointName } from './webhooks'
import { logFilterSchema, type WebhookLogDetail, type WebhookLogRecord } from './log'
import type { AllowlistEntry } from './allowlist'
import type { AlertView, AttendeeView, DecisionView, GatewayView, ProjectView, ReaderView } from './domain'
import type { StationEvents } from './events'
import type { CommandName, Result } from './contract-names'
import { replayGuardSchema, type ReplayGuardConfig, type StationSettingsView } from './station-settings'
import { minPrioritySchema, notifyTargetInputSchema, type NotifyTargetView, type NotifyTestResult } from './notify'

export * from './contract-names'

const endpoint = z.object({ endpoint: endpointNameSchema })
const empty = z.object({}).strict()
const target = z.object({ id: z.number().int().positive() })

export const commandInputs = {
  'overview:get': empty,
  'decisions:recent': z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
  'alerts:list': z.object({ include_resolved: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }),
  'alerts:acknowledge': z.object({ id: z.number().int().positive(), by: z.string().trim().min(1, 'Enter the operator name').max(100) }),
  'webhooks:list': empty,
  'secret:reveal': endpoint,
  'secret:rotate': endpoint.extend({ grace_hours: z.number().min(0).max(720).default(24) }),
  'allowlist:add': endpoint.extend({ entry: z.string().max(100), label: z.string().trim().max(100).optional() }),
  'allowlist:remove': endpoint.extend({ id: z.number().int().positive() }),
  'allowlist:test': endpoint.extend({ address: z.string().trim().min(1).max(100) }),
  'webhooks:send-test': endpoint,
  'logs:query': logFilterSchema,
  'logs:get': z.object({ id: z.string().regex(/^(log_)?\d+$/) }),
  'logs:curl': z.object({ id: z.string().regex(/^(log_)?\d+$/), base_url: z.string().url().optional() }),
  'logs:export': z.object({ filter: logFilterSchema, format: z.enum(['csv', 'json']) }),
  'attendees:search': z.object({
    query: z.string().max(200).default(''),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  }),
  'projects:list': empty,
  'projects:set-default': z.object({ project: z.string().min(1).max(201) }),
  'readers:configure': z.object({
    reader_id: z.string().min(1).max(128),
    project: z.string().max(201).nullable().optional(),
    enabled: z.boolean().optional(),
    allowed_types: z.array(z.string().trim().min(1).max(64)).max(50).nullable().optional(),
    anti_passback_seconds: z.number().int().min(0).max(86_400).nullable().optional(),
  }),
  'station:settings': empty,
  'replay:set': endpoint.extend({ enabled: z.boolean(), window_seconds: replayGuardSchema.shape.window_seconds.optional() }),
  'http:set': z.object({ enabled: z.boolean() }),
  'notify:list': empty,
  'notify:add': notifyTargetInputSchema,
  'notify:update': target.extend({ min_priority: minPrioritySchema }),
  'notify:remove': target,
  'notify:test': target,
  'notify:reveal': target,
} as const satisfies Record<CommandName, z.ZodType>

export interface Counters {
  /** Since local midnight at the station. */
  entries_today: number
  denials_today: number
  /** denials / (entries + denials), 0 when there were no scans. */
  denial_rate: number
}

export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number
  granted: number
  denied: number
}

export interface Overview {
  station: {
    started_at: string
    data_dir: string
    receiver_urls: string[]
    store_fault: string | null
    gateway_timeout_seconds: number
    /** Midnight (local) the counters start from, epoch ms. */
    today_since: number
  }
  gateways: GatewayView[]
  unassigned_readers: ReaderView[]
  counters: Counters
  open_alerts: AlertView[]
  recent_decisions: DecisionView[]
  /** The last hour, one bucket per minute that had scans. */
  scans_per_minute: MinuteBucket[]
  /** Webhook requests of the last hour by HTTP status. */
  requests_by_status: Array<{ status: number; count: number }>
}

export interface SecretSummary {
  /** Masked: the first 4 and last 4 characters. */
  masked: string
  origin: 'stored' | 'env'
  env_var: string | null
  created_at: string | null
  previous_valid_until: string | null
}

export interface WebhookEndpointView {
  endpoint: EndpointName
  path: string
  /** Full URLs to give gateways, one per LAN address. */
  urls: string[]
  signature_header: string
  secret: SecretSummary
  allowlist: AllowlistEntry[]
  body_limit_bytes: number
  /** Full URLs over HTTPS (pin `station:settings` tls.fingerprint_sha256); empty while HTTPS is off. */
  https_urls: string[]
  replay_guard: ReplayGuardConfig
}

export interface CommandOutputs {
  'overview:get': Overview
  'decisions:recent': DecisionView[]
  'alerts:list': AlertView[]
  'alerts:acknowledge': AlertView
  'webhooks:list': WebhookEndpointView[]
  'secret:reveal': { secret: string }
  'secret:rotate': SecretSummary
  'allowlist:add': AllowlistEntry
  'allowlist:remove': { removed: boolean }
  'allowlist:test': { allowed: boolean; address: string; matched: AllowlistEntry | null; reason: string }
  'webhooks:send-test': { status: number; body: string; log_id: string | null }
  'logs:query': WebhookLogRecord[]
  'logs:get': WebhookLogDetail
  'logs:curl': { command: string }
  'logs:export': { filename: string; mime: string; content: string }
  'attendees:search': { attendees: AttendeeView[]; total: number; cancelled: number; checked_in: number }
  'projects:list': ProjectView[]
  'projects:set-default': ProjectView[]
  'readers:configure': ReaderView
  /** TLS (fingerprint, SANs, HTTPS URLs), plain HTTP on/off, replay guards, retention, secret storage. */
  'station:settings': StationSettingsView
  'replay:set': ReplayGuardConfig & { endpoint: EndpointName }
  'http:set': StationSettingsView
  /** Notification targets, secrets masked, with how their deliveries are going. */
  'notify:list': NotifyTargetView[]
  'notify:add': NotifyTargetView
  'notify:update': NotifyTargetView
  'notify:remove': { removed: true }
  /** Sends a signed `notification.test` now and reports the target's answer. */
  'notify:test': NotifyTestResult
  'notify:reveal': { secret: string }
}

export type CommandInput<K extends CommandName> = z.input<(typeof commandInputs)[K]>
export type CommandOutput<K extends CommandName> = CommandOutputs[K]

export type DeskEvent = { [K in keyof StationEvents]: { event: K; payload: StationEvents[K] } }[keyof StationEvents]
export type DeskEventBatch = DeskEvent[]

/** What the renderer talks to: the preload's API in the desk, a WebSocket client in browser mode. */
export interface DeskApi {
  call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<Result<CommandOutput<K>>>
  /** Receives batches of live events (at most ~10 per second); returns the unsubscribe function. */
  subscribe(listener: (batch: DeskEventBatch) => void): () => void
  /** 'electron' in the desk, 'browser' over the WebSocket. */
  readonly transport: 'electron' | 'browser'
}

/** Browser-mode WebSocket frames. */
export type ClientFrame = { type: 'call'; id: number; command: string; input: unknown }
export type ServerFrame =
  { type: 'result'; id: number; result: Result<unknown> } | { type: 'events'; events: DeskEventBatch } | { type: 'hello'; version: string }
