// Everything the station pushes live: the hub's event map, and what the desk transports carry.
import type { AlertView, DecisionView, GatewayView, ReaderView, SyncSummary } from './domain'
import type { WebhookLogRecord } from './log'
import type { LockdownView, ZoneView } from './venue'

export interface StationEvents {
  'gateway:changed': GatewayView
  /** A reader that belongs to no gateway (seen only in access events) changed. */
  'reader:changed': ReaderView
  'access:decided': DecisionView
  'log:entry': WebhookLogRecord
  'alert:changed': AlertView
  'sync:completed': SyncSummary
  /** A zone's inside count (or settings) changed. */
  'zone:changed': ZoneView
  /** The lockdowns in force now (empty when lifted). */
  'lockdown:changed': LockdownView[]
  /** Allowlists, secrets or settings changed (from the desk or the CLI). */
  'config:changed': { what: 'allowlist' | 'secrets' | 'settings' | 'venue' }
}

export type StationEventName = keyof StationEvents
