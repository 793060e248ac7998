// `gatehouse credentials`: credentials claimed by more than one person (denied to all of them), and
// the admin's decision of whose each one is.
import { ConflictResolutionError } from '../station/access/credential-conflicts'
import { table, since as sinceText } from './format'
import { print, str, withCore, withReader, type Command } from './context'

const USAGE =
  'usage: credentials [list] | credentials resolve <credential> --project team/project (--keep EXTERNAL_ID | --nobody) --by NAME'

export const credentialsCommand: Command = (ctx) =>
  ((ctx.args[0] ?? 'list') === 'list' ? withReader : withCore)(ctx, async (core) => {
    const [action = 'list', credential] = ctx.args
    if (action === 'list') {
      const open = core.access.conflicts.open()
      return print(ctx, open, () =>
        open.length === 0
          ? 'no credential conflicts'
          : table(
              ['project', 'credential', 'claimed by', 'since', 'cause'],
              open.map((c) => [
                c.project,
                c.credential,
                c.holders.map((h) => (h.kind === 'attendee' ? h.id : `Cvent registration ${h.id}`)).join(', '),
                sinceText(c.raised_at),
                c.cause,
              ]),
            ) +
            '\nEach is denied to everyone until resolved: gatehouse credentials resolve <credential> --project P --keep EXTERNAL_ID --by NAME',
      )
    }
    if (action !== 'resolve' || !credential) throw new Error(USAGE)
    const project = str(ctx, 'project')
    const keep = str(ctx, 'keep')
    const by = str(ctx, 'by')?.trim()
    if (!project || !by || (keep === undefined) === (ctx.values.nobody !== true)) throw new Error(USAGE)
    try {
      const resolved = await core.access.resolveConflict(project, credential, keep ?? null, by.slice(0, 100))
      return print(ctx, resolved, () =>
        keep
          ? `${credential} in ${project} is ${keep}'s now; the other claims stay without it`
          : `${credential} in ${project} is nobody's now`,
      )
    } catch (err) {
      if (!(err instanceof ConflictResolutionError)) throw err
      ctx.err(`gatehouse credentials: ${err.message}`)
      return 1
    }
  })
