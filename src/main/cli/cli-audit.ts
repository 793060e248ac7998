// What the CLI changes goes to the audit log too, from 'cli', under the OS user running it (the
// CLI needs the station's files, so whoever runs it is an admin), with its words and flags and
// what it touched before → after; anything that could be a secret is redacted. The record is
// written by the change's own store write, in its transaction (see auditedWrites).
import { userInfo } from 'node:os'
import { openCore, type Core } from '../station/station'
import { redact } from '../../shared/audit'
import type { NewAuditEntry } from '../station/store/audit-log'
import type { RuntimeSettingView } from '../../shared/runtime-settings'
import { endpointArg, type CommandContext } from './context'
import { readCertificate } from '../station/tls/certificate'

type Values = CommandContext['values']

/** The CLI command line as a change ("allowlist set"), or null for a read. */
export function cliChange(name: string, args: readonly string[], values: Values): string | null {
  const [action] = args
  const has = (...keys: string[]): boolean => keys.some((k) => values[k] !== undefined && values[k] !== false)
  switch (name) {
    case 'allowlist':
      return action === 'add' || action === 'remove' || action === 'set' ? `allowlist ${action}` : null
    case 'secret':
      // Showing a secret is recorded as an admin action, like the desk's reveal.
      return action === 'rotate' || action === 'show' ? `secret ${action}` : null
    case 'notify':
      return ['add', 'update', 'remove', 'test', 'secret'].includes(action ?? '') ? `notify ${action}` : null
    case 'tls':
      return action === 'regenerate' || action === 'import' ? `tls ${action}` : null
    case 'replay':
    case 'http':
    case 'lockdown':
      return action === 'on' || action === 'off' ? `${name} ${action}` : null
    case 'watch':
      return action === 'add' || action === 'remove' ? `watch ${action}` : null
    case 'credentials':
      return action === 'resolve' ? 'credentials resolve' : null
    case 'alerts':
      return has('ack') ? 'alerts ack' : null
    case 'projects':
      return has('default', 'cvent') ? 'projects' : null
    case 'reader':
      return has('project', 'enable', 'disable', 'types', 'anti-passback', 'zone', 'direction', 'open') ? 'reader' : null
    case 'zone':
      return has('capacity', 'hard', 'soft', 'anti-passback', 'reset-hour', 'reset') ? 'zone' : null
    case 'admit':
      return 'admit'
    case 'admin':
      return action === 'set-passphrase' ? 'admin set-passphrase' : null
    case 'settings':
      return action === 'set' ? 'settings set' : null
    default:
      return null
  }
}

export const cliOperator = (): string => {
  try {
    return userInfo().username || 'unknown'
  } catch {
    return 'unknown'
  }
}

/** A CLI change being made: its audit row is written by its first store write, in that write's transaction. */
export interface CliChange {
  command: string
  /** The audit row once written (each later write of the command updates its "after"). */
  row: number | null
}

type Snapshot = (core: Core, ctx: CommandContext) => unknown

const arg = (ctx: CommandContext, i: number): string => ctx.args[i] ?? ''
const flag = (ctx: CommandContext, key: string): string => {
  const v = ctx.values[key]
  return typeof v === 'string' ? v : ''
}
const allowlistOf: Snapshot = (core, ctx) => core.allowlist.list(endpointArg(arg(ctx, 1)))
const notifyTarget: Snapshot = (core, ctx) =>
  core.db.prepare('SELECT name, url, min_priority FROM notify_targets WHERE name = ?').get(arg(ctx, 1)) ?? null
const readerOf: Snapshot = (core, ctx) => {
  const { gateways, unassigned } = core.access.gateways.list()
  return [...gateways.flatMap((g) => g.readers), ...unassigned].find((r) => r.reader_id === arg(ctx, 0)) ?? null
}

/** A setting as its audit record shows it: the value in use, where from, and what is stored. */
export const settingRecord = (s: RuntimeSettingView | undefined): unknown =>
  s ? { value: s.value, source: s.source, stored: s.stored } : null

/** What each change touches, read before and after it (the "before → after" of its record). */
const SNAPSHOTS: Record<string, Snapshot> = {
  'allowlist add': allowlistOf,
  'allowlist remove': allowlistOf,
  'allowlist set': allowlistOf,
  'notify add': notifyTarget,
  'notify update': notifyTarget,
  'notify remove': notifyTarget,
  'notify secret': notifyTarget,
  'notify test': notifyTarget,
  'replay on': (core) => core.receiverSettings.replayGuards(),
  'replay off': (core) => core.receiverSettings.replayGuards(),
  'http on': (core) => ({ http_enabled: core.receiverSettings.httpEnabled() }),
  'http off': (core) => ({ http_enabled: core.receiverSettings.httpEnabled() }),
  'lockdown on': (core) => core.venue.lockdowns(),
  'lockdown off': (core) => core.venue.lockdowns(),
  'watch add': (core) => core.venue.watchList(),
  'watch remove': (core) => core.venue.watchList(),
  'alerts ack': (core, ctx) => core.access.alerts.get(Number(flag(ctx, 'ack'))) ?? null,
  projects: (core) => core.access.projects.list(),
  reader: readerOf,
  zone: (core, ctx) => core.venue.zones().find((z) => z.name === arg(ctx, 0)) ?? null,
  admit: (core) => core.venue.overrides(),
  'admin set-passphrase': (core) => ({ admin_unlock: core.settings.get<unknown>('admin_passphrase', null) === null ? 'not set' : 'set' }),
  'settings set': (core, ctx) => settingRecord(core.runtime.view().settings.find((x) => x.name === arg(ctx, 1))),
}

/** Changes kept in files (secrets, the certificate), read before and after the command (no store write carries them). */
const IN_FILES: Record<string, (ctx: CommandContext) => Promise<unknown>> = {
  'secret rotate': (ctx) => {
    const core = openCore({ dataDir: ctx.dataDir, followStation: true })
    try {
      const info = core.secrets.info(endpointArg(arg(ctx, 1)))
      return Promise.resolve({ created_at: info.created_at, origin: info.origin, previous_valid_until: info.previous_valid_until })
    } finally {
      core.close()
    }
  },
  'tls regenerate': certificateOf,
  'tls import': certificateOf,
}

async function certificateOf(ctx: CommandContext): Promise<unknown> {
  const info = (await readCertificate(ctx.dataDir))?.info
  return info
    ? { fingerprint_sha256: info.fingerprint_sha256, subject: info.subject, origin: info.origin, not_after: info.not_after }
    : null
}

function snapshot(core: Core, ctx: CommandContext, command: string): unknown {
  const take = SNAPSHOTS[command]
  if (!take) return undefined
  try {
    return redact(take(core, ctx))
  } catch {
    // A snapshot is for the record; it never stops the change.
    return undefined
  }
}

const flagsOf = (ctx: CommandContext): Record<string, unknown> =>
  Object.fromEntries(Object.entries(ctx.values).filter(([k, v]) => v !== undefined && v !== false && k !== 'json' && k !== 'data-dir'))

/** The name given with --by (the operator), else the OS user running the CLI. */
const operatorOf = (ctx: CommandContext): { operator: string; detail: string | null } => {
  const by = flag(ctx, 'by').trim()
  return by ? { operator: by, detail: `OS user ${cliOperator()}` } : { operator: cliOperator(), detail: null }
}

const entry = (ctx: CommandContext, change: CliChange, before: unknown, after: unknown): NewAuditEntry => ({
  ...operatorOf(ctx),
  role: 'admin',
  command: `cli ${change.command}`,
  source: 'cli',
  outcome: 'done',
  input: redact({ args: ctx.args, ...flagsOf(ctx) }),
  before,
  after,
})

/**
 * Wraps each store write of a CLI change: the audit row goes in the same savepoint as the change
 * (both commit, or neither), with the state before the first write and after the latest one.
 */
export function auditedWrites(ctx: CommandContext, change: CliChange, core: () => Core) {
  return <T>(write: () => T): (() => T) =>
    () => {
      const c = core()
      const before = change.row === null ? snapshot(c, ctx, change.command) : undefined
      const value = write()
      const after = SNAPSHOTS[change.command] ? snapshot(c, ctx, change.command) : redact(value)
      if (change.row === null) change.row = c.audit.add(entry(ctx, change, before, after))
      else c.audit.setAfter(change.row, after)
      return value
    }
}

/** The state of a change kept in files (undefined for the others, or when it cannot be read). */
export async function snapshotFiles(ctx: CommandContext, change: CliChange): Promise<unknown> {
  try {
    return redact(await IN_FILES[change.command]?.(ctx))
  } catch {
    return undefined
  }
}

/**
 * The record of a change no store write carried (kept in files, or one that changed nothing),
 * written after it; a failure to write it is said on stderr (the change itself is done).
 */
export async function recordCliChange(ctx: CommandContext, change: CliChange, before: unknown): Promise<void> {
  try {
    const after = IN_FILES[change.command] ? await snapshotFiles(ctx, change) : undefined
    const core = openCore({ dataDir: ctx.dataDir, followStation: true })
    try {
      const fromStore = IN_FILES[change.command] ? undefined : snapshot(core, ctx, change.command)
      await core.queue.enqueue(() => core.audit.add(entry(ctx, change, before ?? fromStore, after ?? fromStore)))
    } finally {
      core.close()
    }
  } catch (err) {
    ctx.err(`warning: the audit log was not written: ${err instanceof Error ? err.message : String(err)}`)
  }
}
