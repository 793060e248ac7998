// `gatehouse alerts`: the open alerts (or --all), an operator's steps on one (--ack, --investigate,
// --snooze, --resolve, --note; each --by NAME), the notes history, the incident export, and the
// admin's per-kind settings. The same rules as the desk: shared schemas, the same alert model.
import { writeFileSync } from 'node:fs'
import { print, str, withCore, withReader, type Command, type CommandContext } from './context'
import { table, since as sinceText } from './format'
import { AlertActionError } from '../station/access/alerts'
import type { AlertStep } from '../station/access/alert-actions'
import { exportIncidents } from '../station/access/incident-export'
import { alertActionInputs, alertExportInputSchema, alertKindSettingsInputSchema } from '../../shared/alerts'
import type { AlertView } from '../../shared/domain'
import type { z } from 'zod'

const firstIssue = (e: z.ZodError): string => {
  const i = e.issues[0]
  return i ? `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}` : 'invalid input'
}

function parsed<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input)
  if (!r.success) throw new Error(firstIssue(r.error))
  return r.data
}

const stateText = (a: AlertView): string =>
  a.state === 'acknowledged' && a.acknowledged_by
    ? `ack by ${a.acknowledged_by}`
    : a.state === 'investigating' && a.investigating_by
      ? `investigating (${a.investigating_by})`
      : a.state === 'snoozed' && a.snoozed_until
        ? `snoozed until ${a.snoozed_until.slice(11, 16)}`
        : a.state

const STEPS: Array<[flag: string, step: AlertStep]> = [
  ['ack', 'acknowledge'],
  ['investigate', 'investigate'],
  ['snooze', 'snooze'],
  ['resolve', 'resolve'],
]

async function exportCommand(ctx: CommandContext): Promise<number> {
  const since = str(ctx, 'since')
  const until = str(ctx, 'until') ?? new Date().toISOString()
  if (!since) throw new Error('alerts export needs --since ISO (and --until ISO, default now)')
  const iso = (raw: string, key: string): string => {
    const ms = Date.parse(raw)
    if (Number.isNaN(ms)) throw new Error(`--${key} must be an ISO 8601 date or date-time (got "${raw}")`)
    return new Date(ms).toISOString()
  }
  const input = parsed(alertExportInputSchema, {
    since: iso(since, 'since'),
    until: iso(until, 'until'),
    format: str(ctx, 'format') ?? 'csv',
  })
  return withReader(ctx, (core) => {
    const file = exportIncidents(core.access.alerts.between(Date.parse(input.since), Date.parse(input.until)), input, input.format)
    const out = str(ctx, 'out')
    if (out) {
      writeFileSync(out, file.content)
      ctx.err(`wrote ${file.filename.endsWith('.csv') ? 'CSV' : 'JSON'} to ${out}`)
    } else process.stdout.write(file.content)
    return 0
  })
}

async function kindsCommand(ctx: CommandContext): Promise<number> {
  const [, kind] = ctx.args
  // Listing reads only (a read-only store, no secrets); a change writes.
  return (kind === undefined ? withReader : withCore)(ctx, async (core) => {
    const actions = core.access.alertActions
    if (kind === undefined) {
      const all = actions.kinds()
      return print(ctx, all, () =>
        table(
          ['kind', 'priority', 'reactivation', 'longest snooze', 'instructions'],
          all.map((k) => [
            k.kind,
            `P${k.priority}${k.customised ? '*' : ''}`,
            `${k.reactivation_minutes} min`,
            k.priority < 3 ? 'never (P1–2)' : `${k.snooze_max_minutes} min`,
            k.instructions || '-',
          ]),
        ),
      )
    }
    const minutes = str(ctx, 'reactivation-minutes')
    const snoozeMax = str(ctx, 'snooze-max-minutes')
    const priority = str(ctx, 'priority')
    const input = parsed(alertKindSettingsInputSchema, {
      kind,
      priority: priority === undefined ? undefined : Number(priority),
      instructions: str(ctx, 'instructions'),
      reactivation_minutes: minutes === undefined ? undefined : Number(minutes),
      snooze_max_minutes: snoozeMax === undefined ? undefined : Number(snoozeMax),
      reset: ctx.values.reset === true,
      by: str(ctx, 'by') ?? '',
    })
    const { kind: k, reset, by, ...change } = input
    const done = await actions.configureKind(k, reset ? 'reset' : change, by)
    return print(
      ctx,
      done,
      () =>
        `${done.kind}: priority ${done.priority}, reactivation ${done.reactivation_minutes} min, longest snooze ${done.snooze_max_minutes} min, instructions: ${done.instructions || '-'}`,
    )
  })
}

export const alertsCommand: Command = async (ctx) => {
  const [sub] = ctx.args
  if (sub === 'export') return exportCommand(ctx)
  if (sub === 'kinds' || sub === 'kind') return kindsCommand(ctx)
  if (sub === 'history') {
    const id = Number(ctx.args[1])
    if (!Number.isInteger(id) || id < 1) throw new Error('alerts history takes an alert id')
    return withReader(ctx, (core) => {
      try {
        const notes = core.access.alertActions.history(id)
        return print(ctx, notes, () =>
          table(
            ['at', 'by', 'action', 'note'],
            notes.map((n) => [n.at, n.by, n.action, n.note ?? '']),
          ),
        )
      } catch (err) {
        if (!(err instanceof AlertActionError)) throw err
        ctx.err(err.message)
        return 1
      }
    })
  }
  if (sub !== undefined) throw new Error(`unknown alerts subcommand "${sub}" (export, kinds, kind, history)`)

  const chosen = STEPS.filter(([flag]) => str(ctx, flag) !== undefined)
  const noteOnly = chosen.length === 0 && str(ctx, 'note') !== undefined && str(ctx, 'id') !== undefined
  if (chosen.length > 1) throw new Error('one step at a time: --ack, --investigate, --snooze or --resolve')
  if (chosen.length === 1 || noteOnly) {
    const [flag, step] = chosen[0] ?? ['id', 'note' as const]
    const by = str(ctx, 'by')?.trim()
    if (!by) throw new Error(`--${flag} needs --by NAME (the operator)`)
    const id = Number(str(ctx, flag))
    if (!Number.isInteger(id) || id < 1) throw new Error(`--${flag} takes an alert id`)
    const minutes = str(ctx, 'minutes')
    const input = parsed(
      alertActionInputs[step === 'acknowledge' ? 'acknowledge' : step] as z.ZodType<{
        id: number
        by: string
        note?: string
        minutes?: number
      }>,
      {
        id,
        by: by.slice(0, 100),
        note: str(ctx, 'note') ?? (step === 'note' ? '' : undefined),
        ...(step === 'snooze' ? { minutes: minutes === undefined ? undefined : Number(minutes) } : {}),
      },
    )
    return withCore(ctx, async (core) => {
      try {
        const done = await core.access.alertActions.step(step, input)
        return print(ctx, done, () => `alert ${id}: ${step === 'note' ? 'note added' : stateText(done)}`)
      } catch (err) {
        if (!(err instanceof AlertActionError)) throw err
        ctx.err(err.code === 'NOT_FOUND' ? `no alert ${id}` : err.message)
        return 1
      }
    })
  }

  return withReader(ctx, (core) => {
    const limit = Number(str(ctx, 'limit') ?? 100)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new Error('--limit must be a whole number from 1 to 1000000')
    const list = ctx.values.all ? core.access.alerts.recent(limit) : core.access.alerts.open()
    return print(ctx, list, () =>
      list.length === 0
        ? 'no open alerts'
        : table(
            ['id', 'priority', 'kind', 'subject', 'raised', 'state', 'message'],
            list.map((a) => [String(a.id), `P${a.priority}`, a.kind, a.subject, sinceText(a.raised_at), stateText(a), a.message]),
          ),
    )
  })
}
