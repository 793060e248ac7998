// Receiver settings an admin changes at run time (replay guard, plain HTTP on/off) and what the
// desk shows of TLS, retention and secret storage. zod for what is stored; plain types for views.
import { z } from 'zod'
import { ENDPOINTS, endpointNameSchema, type EndpointName } from './webhooks'

export const DEFAULT_REPLAY_WINDOW_SECONDS = 300
/** Longest replay window: the guard remembers every accepted body that long (memory). */
export const MAX_REPLAY_WINDOW_SECONDS = 3600
/** A request whose own timestamp is this much older than its arrival is labelled "late" in the log. */
export const LATE_AFTER_SECONDS = 300

export const replayGuardSchema = z.object({
  enabled: z.boolean(),
  window_seconds: z.number().int().min(1).max(MAX_REPLAY_WINDOW_SECONDS),
})
export type ReplayGuardConfig = z.infer<typeof replayGuardSchema>

export const replayGuardsSchema = z.partialRecord(endpointNameSchema, replayGuardSchema)
export type ReplayGuards = Record<EndpointName, ReplayGuardConfig>

export const defaultReplayGuards = (): ReplayGuards =>
  Object.fromEntries(ENDPOINTS.map((e) => [e, { enabled: false, window_seconds: DEFAULT_REPLAY_WINDOW_SECONDS }])) as ReplayGuards

export interface TlsView {
  /** SHA-256 of the certificate (DER), colon-separated upper-case hex, as browsers and openssl show it. */
  fingerprint_sha256: string
  subject: string
  issuer: string
  /** 'generated' at first start by Gatehouse, or 'imported' by an admin. */
  origin: 'generated' | 'imported'
  /** e.g. "ECDSA P-256", "RSA 3072". */
  key: string
  /** e.g. "ECDSA with SHA-256". */
  signature: string
  /** Subject alternative names: "DNS:localhost", "IP:192.168.1.20", … */
  sans: string[]
  not_before: string
  not_after: string
  /** Base URLs over HTTPS, one per LAN address (empty when HTTPS is off). */
  https_urls: string[]
  https_port: number | null
}

export interface RetentionView {
  days: number
  max_mb: number
  /** Bytes of the store in use (pages holding data). */
  store_used_bytes: number
  oldest_log_at: string | null
  oldest_decision_at: string | null
}

export interface StationSettingsView {
  /** Null until the HTTPS listener has been started once (no certificate yet). */
  tls: TlsView | null
  http_enabled: boolean
  http_urls: string[]
  replay_guards: ReplayGuards
  late_after_seconds: number
  retention: RetentionView
  secrets: {
    /** 'plain' (a 0600 file) or the OS encryption sealing the file (e.g. 'safeStorage'). */
    sealed_with: string
    file: string
    /** Set when the secrets are less protected than they look (e.g. Linux without a keyring). */
    warning: string | null
    default_grace_hours: number
  }
}
