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
import { withChangeRecord, type ChangeRecord } from '../store/change-records'
import type { NewAuditEntry } from '../store/audit-log'

type Outcome = NewAuditEntry['outcome']

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
  const entryOf = (outcome: Outcome, extra: { before?: unknown; after?: unknown; detail?: string }): NewAuditEntry => ({
    operator: session.operator ?? '(no name)',
    role: roleOf(session),
    command: name,
    source: session.source,
    outcome,
    input: redact(withoutBy(input)),
    before: extra.before === undefined ? undefined : redact(extra.before),
    after: extra.after === undefined ? undefined : redact(extra.after),
    detail: extra.detail ?? null,
  })
  const written = (write: () => unknown): Promise<void> =>
    guard.station.queue.enqueue(write).then(
      () => undefined,
      (err: unknown) => (guard.logError ?? console.error)(`audit of ${name} not written`, err),
    )
  const record = (outcome: Outcome, extra: { before?: unknown; after?: unknown; detail?: string }): Promise<void> =>
    written(() => guard.station.audit.add(entryOf(outcome, extra)))
  const complete = (row: number, e: { outcome: Outcome; after: unknown; detail: string | null }): Promise<void> =>
    written(() => guard.station.audit.complete(row, e))

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
  const run = (): Promise<Result<unknown>> => runDeskCommand(guard.commands, name, bound, guard.logError, session)
  // The command's first store write carries its record (store/change-records.ts).
  const change: ChangeRecord | undefined = audited ? { entry: entryOf('done', { before }), row: null } : undefined
  const result = change ? await withChangeRecord(change, run) : await run()
  // An admin command used is admin activity: the idle timeout starts again.
  if (access === 'admin' && result.ok) session.adminActiveAt = Date.now()
  if (audited) {
    const after = result.ok ? (SECRET_RESULT.has(name) ? '[redacted]' : result.value) : undefined
    const outcome = result.ok ? 'done' : name === 'session:unlock-admin' ? 'refused' : 'failed'
    const detail = result.ok ? null : result.error.code
    if (change?.row != null) await complete(change.row, { outcome, after: redact(after), detail })
    else if (result.ok) await record('done', { before, after })
    else if (result.error.code !== 'INVALID_INPUT') await record(outcome, { before, detail: result.error.code })
  }
  return result
}

function withoutBy(input: unknown): unknown {
  if (!input || typeof input !== 'object') return input
  const { by: _by, ...rest } = input as Record<string, unknown>
  return rest
}
