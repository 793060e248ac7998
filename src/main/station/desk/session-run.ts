// A desk command as an operator makes it: the transport's session decides who may (the table in
// shared/command-access.ts), binds the operator name into every `by`, and every change, its
// refusal or its failure goes to the audit log with the state before and after, secrets redacted.
import { commandInputs, isCommandName, type CommandName, type Result } from '../../../shared/contract'
import { COMMAND_ACCESS } from '../../../shared/command-access'
import { redact } from '../../../shared/audit'
import type { Station } from '../station'
import type { DeskCommands } from './command-types'
import { roleOf, type DeskSession } from './desk-session'
import { runDeskCommand, type ErrorLogger } from './run-command'
import { snapshotBefore } from './audit-snapshots'

export interface DeskGuard {
  commands: DeskCommands
  station: Station
  logError?: ErrorLogger
}

/** Session commands worth a record: unlocking (and failing to) and setting the passphrase. */
const AUDITED_SESSION: ReadonlySet<CommandName> = new Set(['session:unlock-admin', 'session:set-passphrase'])

/** Answers that are secrets (or as good as one: a re-signed request): never in the record. */
const SECRET_RESULT: ReadonlySet<CommandName> = new Set(['secret:reveal', 'notify:reveal', 'logs:curl'])

const takesBy = (name: CommandName): boolean => 'by' in (commandInputs[name] as unknown as { shape: object }).shape

const refuse = (code: 'OPERATOR_REQUIRED' | 'ADMIN_REQUIRED', message: string): Result<unknown> => ({ ok: false, error: { code, message } })

export async function runAsSession(guard: DeskGuard, session: DeskSession, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isCommandName(name)) return runDeskCommand(guard.commands, name, input, guard.logError, session)
  const access = COMMAND_ACCESS[name]
  const audited = access === 'officer' || access === 'admin' || AUDITED_SESSION.has(name)
  const record = (outcome: 'done' | 'refused' | 'failed', extra: { before?: unknown; after?: unknown; detail?: string }): Promise<void> =>
    guard.station.queue
      .enqueue(() =>
        guard.station.audit.add({
          operator: session.operator ?? '(no name)',
          role: roleOf(session),
          command: name,
          source: session.source,
          outcome,
          input: redact(withoutBy(input)),
          before: extra.before === undefined ? undefined : redact(extra.before),
          after: extra.after === undefined ? undefined : redact(extra.after),
          detail: extra.detail ?? null,
        }),
      )
      .then(
        () => undefined,
        (err: unknown) => (guard.logError ?? console.error)(`audit of ${name} not written`, err),
      )

  if ((access === 'officer' || access === 'admin') && !session.operator) {
    return refuse('OPERATOR_REQUIRED', 'Enter your name first: every action at the desk is recorded with it')
  }
  if (access === 'admin' && roleOf(session) !== 'admin') {
    await record('refused', { detail: 'ADMIN_REQUIRED' })
    return refuse('ADMIN_REQUIRED', 'This needs an admin: unlock admin with the passphrase, then try again')
  }
  // The name on the record is the session's, whatever the input says.
  const bound = takesBy(name) && input && typeof input === 'object' ? { ...input, by: session.operator } : input
  const before = audited ? snapshotBefore(guard.station, name, bound) : undefined
  const result = await runDeskCommand(guard.commands, name, bound, guard.logError, session)
  // An admin command used is admin activity: the idle timeout starts again.
  if (access === 'admin' && result.ok) session.adminActiveAt = Date.now()
  if (audited) {
    if (result.ok) await record('done', { before, after: SECRET_RESULT.has(name) ? '[redacted]' : result.value })
    else if (result.error.code !== 'INVALID_INPUT')
      await record(name === 'session:unlock-admin' ? 'refused' : 'failed', { before, detail: result.error.code })
  }
  return result
}

function withoutBy(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input
  const { by: _by, ...rest } = input as Record<string, unknown>
  return rest
}
