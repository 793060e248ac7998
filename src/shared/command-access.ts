// Who may run each desk command, and whether it is recorded in the audit log. One table, checked
// by the type (every command must be here) and by a test: a new command cannot be forgotten.
import type { CommandName } from './contract-names'

/**
 * - `read`: any officer; nothing changes, nothing recorded.
 * - `officer`: any officer with a name (watch, acknowledge, annotate); recorded.
 * - `admin`: an admin session unlocked with the passphrase; recorded (refusals too).
 * - `session`: the desk session itself (name, unlock, lock); the passphrase commands are recorded.
 */
export type CommandAccess = 'read' | 'officer' | 'admin' | 'session'

export const COMMAND_ACCESS = {
  'overview:get': 'read',
  'decisions:recent': 'read',
  'alerts:list': 'read',
  'alerts:acknowledge': 'officer',
  'alerts:investigate': 'officer',
  'alerts:note': 'officer',
  'alerts:snooze': 'officer',
  'alerts:resolve': 'officer',
  'alerts:history': 'read',
  'alerts:kinds': 'read',
  'alerts:export': 'read',
  'alerts:configure-kind': 'admin',
  'webhooks:list': 'read',
  'secret:reveal': 'admin',
  'secret:rotate': 'admin',
  'allowlist:add': 'admin',
  'allowlist:remove': 'admin',
  'allowlist:set': 'admin',
  'allowlist:test': 'read',
  'allowlist:preview': 'read',
  'webhooks:send-test': 'admin',
  'logs:query': 'read',
  'logs:get': 'read',
  // Re-signed with the live secret: as good as revealing it.
  'logs:curl': 'admin',
  'logs:export': 'read',
  'attendees:search': 'read',
  'projects:list': 'read',
  'projects:set-default': 'admin',
  'credentials:conflicts': 'read',
  'credentials:resolve': 'admin',
  'zones:list': 'read',
  'zones:configure': 'admin',
  'zones:reset': 'admin',
  'watch:list': 'read',
  'watch:add': 'admin',
  'watch:remove': 'admin',
  'overrides:list': 'read',
  // At the gate, an officer's call: admit once, take it back, forgive an anti-passback denial.
  'overrides:admit': 'officer',
  'overrides:cancel': 'officer',
  'decisions:forgive': 'officer',
  'lockdown:set': 'admin',
  'readers:configure': 'admin',
  'station:settings': 'read',
  'replay:set': 'admin',
  'http:set': 'admin',
  'settings:list': 'read',
  'settings:set': 'admin',
  'notify:list': 'read',
  'notify:add': 'admin',
  'notify:update': 'admin',
  'notify:remove': 'admin',
  'notify:test': 'admin',
  'notify:reveal': 'admin',
  'session:get': 'session',
  'session:identify': 'session',
  'session:unlock-admin': 'session',
  'session:lock': 'session',
  'session:set-passphrase': 'session',
  'audit:list': 'read',
} as const satisfies Record<CommandName, CommandAccess>

export type Role = 'officer' | 'admin'

/** Where a change came from: a browser desk (its session id), the Electron desk, or the CLI. */
export type AuditSource = 'electron' | 'cli' | `desk:${string}`
