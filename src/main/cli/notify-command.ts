// `gatehouse notify add|remove|list|test|update|secret`: notification targets, beside a running
// station (which picks a change up within a second; only the station delivers).
import { createNotify, TargetNameTakenError, TooManyTargetsError, type Notify } from '../station/notify/notify'
import { minPrioritySchema, notifyTargetInputSchema, priorityFilterText, type NotifyTargetView } from '../../shared/notify'
import type { Core } from '../station/station'
import { since, table } from './format'
import { print, str, withCore, type Command, type CommandContext } from './context'

const USAGE =
  'usage: notify list | notify add <name> <url> [--min-priority 1-5] | notify update <name> --min-priority 1-5 | ' +
  'notify test <name> | notify secret <name> | notify remove <name>'

const open = (core: Core): Notify =>
  createNotify({ db: core.db, queue: core.queue, hub: core.hub, alerts: core.access.alerts, dataDir: core.dataDir })

function minPriority(ctx: CommandContext): number | undefined {
  const raw = str(ctx, 'min-priority')
  if (raw === undefined) return undefined
  const parsed = minPrioritySchema.safeParse(Number(raw))
  if (!parsed.success || !/^\d$/.test(raw)) throw new Error('--min-priority is 1 (only the most urgent) to 5 (every alert)')
  return parsed.data
}

function target(notify: Notify, name: string | undefined): NotifyTargetView {
  if (!name) throw new Error(USAGE)
  const row = notify.find(name)
  if (!row) throw new Error(`no notification target "${name}" (see gatehouse notify list)`)
  return notify.get(row.id)!
}

const health = (t: NotifyTargetView): string =>
  t.last_attempt_at === null
    ? 'not called yet'
    : t.last_error === null
      ? `ok ${since(t.last_attempt_at)}`
      : `failing${t.failing_since ? ` since ${since(t.failing_since)}` : ''}: ${t.last_error}`

export const notifyCommand: Command = (ctx) =>
  withCore(ctx, async (core) => {
    const notify = open(core)
    const [action = 'list', name, url] = ctx.args
    switch (action) {
      case 'list': {
        const list = notify.list()
        return print(ctx, list, () =>
          list.length === 0
            ? 'no notification targets (gatehouse notify add <name> <url>)'
            : table(
                ['name', 'url', 'priorities', 'secret', 'waiting', 'given up', 'last attempt'],
                list.map((t) => [
                  t.name,
                  t.url,
                  priorityFilterText(t.min_priority),
                  t.secret_masked,
                  String(t.pending),
                  String(t.given_up),
                  health(t),
                ]),
              ),
        )
      }
      case 'add': {
        const parsed = notifyTargetInputSchema.safeParse({ name, url, min_priority: minPriority(ctx) })
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!
          throw new Error(`${issue.path.join('.') || 'input'}: ${issue.message}\n${USAGE}`)
        }
        try {
          const added = await notify.add(parsed.data)
          const secret = notify.reveal(added.id)!
          return print(ctx, { ...added, secret }, () =>
            [
              secret,
              `added ${added.name} → ${added.url}, alerts of priority ${priorityFilterText(added.min_priority)};`,
              'give the receiver the secret above to verify the webhook-signature header (Standard Webhooks).',
            ].join('\n'),
          )
        } catch (err) {
          if (err instanceof TargetNameTakenError) throw new Error(`a target named "${parsed.data.name}" exists already`, { cause: err })
          if (err instanceof TooManyTargetsError) throw new Error(`${err.message}; remove one first`, { cause: err })
          throw err
        }
      }
      case 'update': {
        const t = target(notify, name)
        const p = minPriority(ctx)
        if (p === undefined) throw new Error(USAGE)
        const updated = (await notify.setMinPriority(t.id, p))!
        return print(ctx, updated, () => `${updated.name} now gets alerts of priority ${priorityFilterText(updated.min_priority)}`)
      }
      case 'remove': {
        const t = target(notify, name)
        await notify.remove(t.id)
        return print(
          ctx,
          { removed: true, name: t.name },
          () => `removed ${t.name}${t.pending > 0 ? `; ${t.pending} waiting deliveries dropped` : ''}`,
        )
      }
      case 'test': {
        const t = target(notify, name)
        const result = (await notify.test(t.id))!
        print(ctx, result, () =>
          result.ok
            ? `${t.name} answered ${result.status} in ${result.duration_ms} ms`
            : `${t.name} failed: ${result.error ?? 'no answer'}`,
        )
        return result.ok ? 0 : 1
      }
      case 'secret': {
        const t = target(notify, name)
        const secret = notify.reveal(t.id)
        if (!secret) throw new Error(`the secret of ${t.name} is missing; remove the target and add it again`)
        return print(ctx, { name: t.name, secret }, () => secret)
      }
      default:
        throw new Error(USAGE)
    }
  })
