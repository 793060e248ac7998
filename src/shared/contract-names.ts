// The desk contract's names and transport channels, free of zod so the sandboxed preload can
// import it. The schemas and result types live in ./contract.ts, checked against these names.

export const COMMAND_NAMES = [
  'overview:get',
  'decisions:recent',
  'alerts:list',
  'alerts:acknowledge',
  'alerts:investigate',
  'alerts:note',
  'alerts:snooze',
  'alerts:resolve',
  'alerts:history',
  'alerts:export',
  'alerts:kinds',
  'alerts:configure-kind',
  'webhooks:list',
  'secret:reveal',
  'secret:rotate',
  'allowlist:add',
  'allowlist:remove',
  'allowlist:set',
  'allowlist:test',
  'allowlist:preview',
  'webhooks:send-test',
  'logs:query',
  'logs:get',
  'logs:curl',
  'logs:export',
  'attendees:search',
  'projects:list',
  'projects:set-default',
  'credentials:conflicts',
  'credentials:resolve',
  'zones:list',
  'zones:configure',
  'zones:reset',
  'watch:list',
  'watch:add',
  'watch:remove',
  'overrides:list',
  'overrides:admit',
  'overrides:cancel',
  'decisions:forgive',
  'lockdown:set',
  'readers:configure',
  'station:settings',
  'replay:set',
  'http:set',
  'settings:list',
  'settings:set',
  'notify:list',
  'notify:add',
  'notify:update',
  'notify:remove',
  'notify:test',
  'notify:reveal',
  'session:get',
  'session:identify',
  'session:unlock-admin',
  'session:lock',
  'session:set-passphrase',
  'audit:list',
] as const

export type CommandName = (typeof COMMAND_NAMES)[number]

export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && (COMMAND_NAMES as readonly string[]).includes(value)

/** Electron IPC: one invoke channel per command is `desk:<command>`; events arrive batched here. */
export const commandChannel = (name: CommandName): string => `desk:${name}`
export const EVENTS_CHANNEL = 'desk:events'

/** Browser mode: the WebSocket path on the dashboard server. */
export const WS_PATH = '/ws'
/** Browser mode: answers 200 with the session cookie, 401 without (the renderer tells "token" from "down"). */
export const SESSION_PATH = '/session'

/** Every code a desk command can fail with; the renderer may branch on them, so no free strings. */
export const DESK_ERROR_CODES = [
  'UNKNOWN_COMMAND',
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  /** The change would leave an allowlist empty (any source accepted): send it again with `open: true`. */
  'CONFIRMATION_REQUIRED',
  'SECRET_FROM_ENV',
  'NOT_A_WEBHOOK',
  'BODY_TRUNCATED',
  'STORE_UNAVAILABLE',
  'FORBIDDEN',
  /** The desk session has no operator name yet: ask for it (session:identify), then call again. */
  'OPERATOR_REQUIRED',
  /** An admin command from an officer session: unlock with the passphrase (session:unlock-admin). */
  'ADMIN_REQUIRED',
  /** The admin passphrase was wrong (or none is set yet: session:set-passphrase). */
  'WRONG_PASSPHRASE',
  'DISCONNECTED',
  /** Too many calls in flight (per desk, or at the station): wait for answers, then call again. */
  'BUSY',
  /** The station's log reader thread stopped (it is restarted at the next read): try again. */
  'READER_UNAVAILABLE',
  'INTERNAL',
] as const
export type DeskErrorCode = (typeof DESK_ERROR_CODES)[number]

export type ResultError = { code: DeskErrorCode; message: string }
export type Result<T> = { ok: true; value: T } | { ok: false; error: ResultError }
