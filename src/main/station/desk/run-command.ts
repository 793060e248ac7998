// One desk command call, as both transports make it: the input validated (whatever the caller),
// the command run, and every outcome turned into a result value that can cross to the renderer.
import { commandInputs, isCommandName, type Result } from '../../../shared/contract'
import { StoreUnavailableError } from '../store/commit-queue'
import type { DeskCommands } from './command-types'
import { DeskError } from './errors'
import type { DeskSession } from './desk-session'

/** Where an unexpected error goes before it becomes INTERNAL (the station's console by default). */
export type ErrorLogger = (message: string, err: unknown) => void

const logToConsole: ErrorLogger = (message, err) => console.error(`gatehouse: ${message}`, err)

/** Validates and runs one command; every failure becomes a coded error value, never a throw. */
export async function runDeskCommand(
  commands: DeskCommands,
  name: unknown,
  input: unknown,
  logError: ErrorLogger = logToConsole,
  session?: DeskSession,
): Promise<Result<unknown>> {
  if (!isCommandName(name))
    return { ok: false, error: { code: 'UNKNOWN_COMMAND', message: `Unknown command ${String(name).slice(0, 50)}` } }
  const parsed = commandInputs[name].safeParse(input ?? {})
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const where = first?.path.length ? `${first.path.join('.')}: ` : ''
    return { ok: false, error: { code: 'INVALID_INPUT', message: `${where}${first?.message ?? 'invalid input'}` } }
  }
  try {
    const run = commands[name] as (input: unknown, session?: DeskSession) => unknown
    return { ok: true, value: await run(parsed.data, session) }
  } catch (err) {
    if (err instanceof DeskError) return { ok: false, error: { code: err.code, message: err.message } }
    if (err instanceof StoreUnavailableError) {
      return {
        ok: false,
        error: { code: 'STORE_UNAVAILABLE', message: 'The store cannot be written right now; try again when the store alert clears' },
      }
    }
    // Ours to fix: keep the stack where an engineer will find it; the operator gets a sentence.
    logError(`desk command ${name} failed`, err)
    return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the station; see its log' } }
  }
}
