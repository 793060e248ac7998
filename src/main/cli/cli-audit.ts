// What the CLI changes goes to the audit log too, from 'cli', under the OS user running it (the
// CLI needs the station's files, so whoever runs it is an admin). Recorded after the command
// succeeded, with its words and flags; anything that could be a secret is redacted.
import { userInfo } from 'node:os'
import { openCore } from '../station/station'
import { redact } from '../../shared/audit'
import type { CommandContext } from './context'

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

/** Writes the record; a failure to write it is said on stderr (the change itself is done). */
export async function recordCliChange(ctx: CommandContext, command: string, outcome: 'done' | 'failed'): Promise<void> {
  try {
    const core = openCore({ dataDir: ctx.dataDir })
    try {
      const flags = Object.fromEntries(
        Object.entries(ctx.values).filter(([k, v]) => v !== undefined && v !== false && k !== 'json' && k !== 'data-dir'),
      )
      await core.queue.enqueue(() =>
        core.audit.add({
          operator: cliOperator(),
          role: 'admin',
          command: `cli ${command}`,
          source: 'cli',
          outcome,
          input: redact({ args: ctx.args, ...flags }),
        }),
      )
    } finally {
      core.close()
    }
  } catch (err) {
    ctx.err(`warning: the audit log was not written: ${err instanceof Error ? err.message : String(err)}`)
  }
}
