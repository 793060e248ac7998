// The one typed contract between the station and the desk: every command's input schema
// (validated again in main), every command's result type, and the pushed events.
import { z } from 'zod'
import { endpointNameSchema, type EndpointName } from './webhooks'
import { logFilterSchema, type WebhookLogDetail, type WebhookLogRecord } from './log'
import type { AllowlistEntry, LockedOutSource } from './allowlist'
import type { AlertView, AttendeeView, CredentialConflictView, DecisionView, GatewayView, ProjectView, ReaderView } from './domain'
import type { StationEvents } from './events'
import type { CommandName, Result } from './contract-names'
import { replayGuardSchema, type ReplayGuardConfig, type StationSettingsView } from './station-settings'
import { runtimeSettingNameSchema, type RuntimeSettingsView, type RuntimeSettingView } from './runtime-settings'
import { DIRECTIONS, type LockdownView, type OverrideView, type WatchEntryView, type ZoneView } from './venue'
import {
  alertActionInputs,
  alertExportInputSchema,
  alertKindSettingsInputSchema,
  type AlertKindSettings,
  type AlertNoteView,
} from './alerts'
import { minPrioritySchema, notifyTargetInputSchema, type NotifyTargetView, type NotifyTestResult } from './notify'

import type { Role } from './command-access'
import type { AuditEntryView } from './audit'

export * from './contract-names'

const endpoint = z.object({ endpoint: endpointNameSchema })
const operator = z.string().trim().min(1, 'Enter the operator name').max(100)
const zoneName = z.string().trim().min(1).max(64)
const empty = z.object({}).strict()

/** The most entries one desk read returns (logs:query); longer lists are paged with `before`. */
export const DESK_PAGE_LIMIT = 1000
/** The most entries one logs:export page holds. */
export const EXPORT_PAGE_LIMIT = 2000
const target = z.object({ id: z.number().int().positive() })

export const commandInputs = {
  'overview:get': empty,
  'decisions:recent': z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
  'alerts:list': z.object({ include_resolved: z.boolean().default(false), limit: z.number().int().min(1).max(1000).default(200) }),
  'alerts:acknowledge': alertActionInputs.acknowledge,
  'alerts:investigate': alertActionInputs.investigate,
  'alerts:note': alertActionInputs.note,
  'alerts:snooze': alertActionInputs.snooze,
  'alerts:resolve': alertActionInputs.resolve,
  'alerts:history': z.object({ id: z.number().int().positive() }),
  'alerts:export': alertExportInputSchema,
  'alerts:kinds': empty,
  'alerts:configure-kind': alertKindSettingsInputSchema,
  'webhooks:list': empty,
  'secret:reveal': endpoint,
  'secret:rotate': endpoint.extend({ grace_hours: z.number().min(0).max(720).default(24) }),
  'allowlist:add': endpoint.extend({ entry: z.string().max(100), label: z.string().trim().max(100).optional() }),
  // `open`: the caller confirms that the endpoint may be left with no entries (any source accepted).
  'allowlist:remove': endpoint.extend({ id: z.number().int().positive(), open: z.boolean().default(false) }),
  'allowlist:set': endpoint.extend({
    entries: z.array(z.object({ entry: z.string().max(100), label: z.string().trim().max(100).optional() })).max(1000),
    open: z.boolean().default(false),
  }),
  'allowlist:test': endpoint.extend({ address: z.string().trim().min(1).max(100) }),
  // The whole list as it would be saved: who seen in the last hour it would refuse.
  'allowlist:preview': endpoint.extend({ entries: z.array(z.string().max(100)).max(1000) }),
  'webhooks:send-test': endpoint,
  // Bounded pages: one desk call is never a scan of the whole log (the CLI may ask for more).
  'logs:query': logFilterSchema.safeExtend({ limit: z.coerce.number().int().min(1).max(DESK_PAGE_LIMIT).default(100) }),
  'logs:get': z.object({ id: z.string().regex(/^(log_)?\d+$/) }),
  'logs:curl': z.object({ id: z.string().regex(/^(log_)?\d+$/), base_url: z.string().url().optional() }),
  // Paged: each call returns up to EXPORT_PAGE_LIMIT entries older than `filter.before` and the id to
  // ask from next; the desk joins the pages (CSV's header is in the first page only).
  'logs:export': z.object({
    filter: logFilterSchema.safeExtend({ limit: z.coerce.number().int().min(1).max(EXPORT_PAGE_LIMIT).default(EXPORT_PAGE_LIMIT) }),
    format: z.enum(['csv', 'json']),
  }),
  'attendees:search': z.object({
    query: z.string().max(200).default(''),
    limit: z.number().int().min(1).max(1000).default(100),
    offset: z.number().int().min(0).default(0),
  }),
  'projects:list': empty,
  'projects:set-default': z.object({ project: z.string().min(1).max(201) }),
  'credentials:conflicts': empty,
  'credentials:resolve': z.object({
    project: z.string().min(1).max(201),
    credential: z.string().min(1).max(512),
    /** The external_id of the attendee who keeps the credential; null: nobody does. */
    keep: z.string().min(1).max(128).nullable(),
    by: z.string().trim().min(1, 'Enter the operator name').max(100),
  }),
  'readers:configure': z.object({
    reader_id: z.string().min(1).max(128),
    project: z.string().max(201).nullable().optional(),
    enabled: z.boolean().optional(),
    allowed_types: z.array(z.string().trim().min(1).max(64)).max(50).nullable().optional(),
    anti_passback_seconds: z.number().int().min(0).max(86_400).nullable().optional(),
    zone: zoneName.nullable().optional(),
    direction: z.enum(DIRECTIONS).optional(),
    /** "08:00-18:30,20:00-23:00" in the station's local time; "" or null: always open. */
    open_windows: z.string().max(200).nullable().optional(),
  }),
  'zones:list': empty,
  'zones:configure': z.object({
    name: zoneName,
    capacity: z.number().int().min(1).max(1_000_000).nullable().optional(),
    hard: z.boolean().optional(),
    anti_passback: z.boolean().optional(),
    reset_hour: z.number().int().min(0).max(23).nullable().optional(),
  }),
  'zones:reset': z.object({ name: zoneName, by: operator }),
  'watch:list': empty,
  'watch:add': z.object({
    credential: z.string().min(1).max(512).optional(),
    attendee: z.object({ external_id: z.string().min(1).max(128), project: z.string().min(1).max(201) }).optional(),
    kind: z.enum(['blocked', 'vip']),
    note: z.string().trim().max(500).default(''),
    until: z.iso.datetime({ offset: true }).optional(),
    by: operator,
  }),
  'watch:remove': z.object({ id: z.number().int().positive(), by: operator }),
  'overrides:list': empty,
  'overrides:admit': z.object({
    reader_id: z.string().min(1).max(128),
    /** null: the next scan at the reader, whoever it is. */
    credential: z.string().min(1).max(512).nullable(),
    minutes: z.number().int().min(1).max(240).default(5),
    note: z.string().trim().max(500).default(''),
    by: operator,
  }),
  'overrides:cancel': z.object({ id: z.number().int().positive(), by: operator }),
  'decisions:forgive': z.object({ decision_id: z.number().int().positive(), by: operator }),
  'lockdown:set': z.object({
    on: z.boolean(),
    zone: zoneName.nullable().default(null),
    note: z.string().trim().max(500).default(''),
    by: operator,
  }),
  'station:settings': empty,
  'replay:set': endpoint.extend({ enabled: z.boolean(), window_seconds: replayGuardSchema.shape.window_seconds.optional() }),
  'http:set': z.object({ enabled: z.boolean() }),
  'settings:list': empty,
  // The range is checked by the one parser (shared/runtime-settings.ts); null: back to the default.
  'settings:set': z.object({ name: runtimeSettingNameSchema, value: z.number().nullable() }),
  'notify:list': empty,
  'notify:add': notifyTargetInputSchema,
  'notify:update': target.extend({ min_priority: minPrioritySchema }),
  'notify:remove': target,
  'notify:test': target,
  'notify:reveal': target,
  'session:get': empty,
  'session:identify': z.object({ operator }),
  'session:unlock-admin': z.object({ passphrase: z.string().min(1).max(1024) }),
  'session:lock': empty,
  'session:set-passphrase': z.object({ passphrase: z.string().min(1).max(1024) }),
  'audit:list': z.object({
    since: z.iso.datetime({ offset: true }).optional(),
    limit: z.number().int().min(1).max(DESK_PAGE_LIMIT).default(200),
  }),
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

/** Refused entries whose counts a snapshot carries and the desk follows (an aggregate of refusals grows for a minute or so). */
export const SNAPSHOT_REFUSED_LIMIT = 256

/**
 * What a snapshot's figures already count, read with them in one transaction: a live event at or
 * below the watermark is in them already, one above it is not (the desk applies only those).
 */
export interface SnapshotWatermark {
  /** The newest decision counted (0: none yet). */
  decision_id: number
  /** The newest webhook log entry counted in `requests_by_status` (0: none yet). */
  log_id: number
  /**
   * Recent refused entries, newest first, with the count each is counted with: an aggregate is
   * rewritten with a larger count under the same id, and only what it grows past this is new.
   */
  refused_counts: Array<{ id: number; count: number }>
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
  zones: ZoneView[]
  /** In force now; a banner on every desk while any is. */
  lockdowns: LockdownView[]
  watermark: SnapshotWatermark
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
  'alerts:investigate': AlertView
  'alerts:note': AlertView
  /** Back in the queue (open, sounded again) when the snooze runs out. */
  'alerts:snooze': AlertView
  'alerts:resolve': AlertView
  /** Every transition and note, oldest first, with the operator's name. */
  'alerts:history': AlertNoteView[]
  /** Alerts open at any time in the range, with their notes. */
  'alerts:export': { filename: string; mime: string; content: string }
  /** Each kind's priority, instructions and reactivation window (defaults or an admin's). */
  'alerts:kinds': AlertKindSettings[]
  'alerts:configure-kind': AlertKindSettings
  'webhooks:list': WebhookEndpointView[]
  'secret:reveal': { secret: string }
  'secret:rotate': SecretSummary
  'allowlist:add': AllowlistEntry
  'allowlist:remove': { removed: boolean }
  /** The endpoint's whole list after the replacement. */
  'allowlist:set': AllowlistEntry[]
  'allowlist:test': { allowed: boolean; address: string; matched: AllowlistEntry | null; reason: string }
  'allowlist:preview': { entries: string[]; locked_out: LockedOutSource[] }
  'webhooks:send-test': { status: number; body: string; log_id: string | null }
  'logs:query': WebhookLogRecord[]
  'logs:get': WebhookLogDetail
  /** 're-signed' for an accepted request; a refused one is only ever given 'as-received'. */
  'logs:curl': { command: string; mode: 're-signed' | 'as-received' }
  /** One page: `rows` entries as CSV text or a JSON array; `next_before` null after the last page. */
  'logs:export': { filename: string; mime: string; content: string; rows: number; next_before: string | null }
  'attendees:search': {
    attendees: AttendeeView[]
    total: number
    cancelled: number
    /** Cvent check-ins (registrations Cvent reported checked in). */
    checked_in: number
    /** Distinct attendees granted at a reader since local midnight at the station. */
    entered_today: number
  }
  'projects:list': ProjectView[]
  /** Credentials claimed by more than one person, denied to all of them until resolved. */
  'credentials:conflicts': CredentialConflictView[]
  'credentials:resolve': CredentialConflictView
  /** The projects, and what the change means in words (Cvent registrations keep their project). */
  'projects:set-default': { projects: ProjectView[]; notice: string }
  'readers:configure': ReaderView
  'zones:list': ZoneView[]
  'zones:configure': ZoneView
  'zones:reset': ZoneView
  'watch:list': WatchEntryView[]
  'watch:add': WatchEntryView
  'watch:remove': WatchEntryView
  'overrides:list': OverrideView[]
  'overrides:admit': OverrideView
  'overrides:cancel': OverrideView
  /** The zone the person was counted out of (null: they were in none). */
  'decisions:forgive': ZoneView | null
  'lockdown:set': LockdownView[]
  /** TLS (fingerprint, SANs, HTTPS URLs), plain HTTP on/off, replay guards, retention, secret storage. */
  'station:settings': StationSettingsView
  'replay:set': ReplayGuardConfig & { endpoint: EndpointName }
  'http:set': StationSettingsView
  /** The run-time settings: in use, where from (an environment variable overrides the store), stored, default. */
  'settings:list': RuntimeSettingsView
  /** The setting after the change (a live one already applied). */
  'settings:set': RuntimeSettingView
  /** Notification targets, secrets masked, with how their deliveries are going. */
  'notify:list': NotifyTargetView[]
  'notify:add': NotifyTargetView
  'notify:update': NotifyTargetView
  'notify:remove': { removed: true }
  /** Sends a signed `notification.test` now and reports the target's answer. */
  'notify:test': NotifyTestResult
  'notify:reveal': { secret: string }
  'session:get': SessionView
  'session:identify': SessionView
  'session:unlock-admin': SessionView
  'session:lock': SessionView
  /** First run: sets the admin passphrase and unlocks this session. */
  'session:set-passphrase': SessionView
  /** Newest first. */
  'audit:list': AuditEntryView[]
}

/** Who is at this desk: their name, role, and how long an admin unlock lasts unused. */
export interface SessionView {
  id: string
  source: string
  operator: string | null
  role: Role
  /** ISO; null while an officer. Every admin command moves it on. */
  admin_until: string | null
  idle_minutes: number
  /** False on first run: the desk asks for one. */
  passphrase_set: boolean
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
