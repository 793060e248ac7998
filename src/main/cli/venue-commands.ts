// `gatehouse zone|zones|watch|lockdown|admit`: venue rules from the command line, beside a running
// station (it applies them to its next scan). Every change names its operator (--by).
import type { Core } from '../station/core'
import { table, since as sinceText } from './format'
import { print, str, withCore, withReader, type Command, type CommandContext } from './context'
import type { ZoneView } from '../../shared/venue'

const operator = (ctx: CommandContext, usage: string): string => {
  const by = str(ctx, 'by')?.trim()
  if (!by) throw new Error(`${usage} — --by NAME (the operator) is required`)
  return by.slice(0, 100)
}

const onOff = (ctx: CommandContext, key: string): boolean | undefined => {
  const v = str(ctx, key)
  if (v === undefined) return undefined
  if (v !== 'on' && v !== 'off') throw new Error(`--${key} is on or off`)
  return v === 'on'
}

const describeZone = (z: ZoneView): string =>
  `${z.name}: ${z.inside}${z.capacity === null ? '' : ` of ${z.capacity}`} inside${z.hard ? ' (hard capacity)' : ''}` +
  `${z.anti_passback ? ', anti-passback' : ''}${z.reset_hour === null ? '' : `, resets at ${String(z.reset_hour).padStart(2, '0')}:00`}` +
  `${z.lockdown ? `, LOCKED DOWN by ${z.lockdown.by}` : ''}; readers: ${z.readers.map((r) => `${r.reader_id} (${r.direction})`).join(', ') || 'none'}`

const zonesTable = (list: ZoneView[]): string =>
  list.length === 0
    ? 'no zones yet (put a reader in one: gatehouse reader <id> --zone NAME --direction entry|exit|both)'
    : table(
        ['zone', 'inside', 'capacity', 'rules', 'readers'],
        list.map((z) => [
          z.name,
          String(z.inside),
          z.capacity === null ? '—' : `${z.capacity}${z.hard ? ' (hard)' : ''}`,
          [z.anti_passback ? 'anti-passback' : '', z.reset_hour === null ? '' : `reset ${z.reset_hour}:00`, z.lockdown ? 'LOCKDOWN' : '']
            .filter(Boolean)
            .join(', '),
          z.readers.map((r) => `${r.reader_id} (${r.direction})`).join(', '),
        ]),
      )

const ZONE_USAGE =
  'usage: zone <name> [--capacity N|none] [--hard|--soft] [--anti-passback on|off] [--reset-hour H|none] [--reset --by NAME]'

const zone: Command = (ctx) =>
  withCore(ctx, async (core: Core) => {
    const [name] = ctx.args
    if (!name) throw new Error(ZONE_USAGE)
    if (ctx.values.reset) {
      operator(ctx, ZONE_USAGE)
      const z = await core.venue.resetZone(name)
      return print(ctx, z, () => `${z.name} reset: nobody counted inside`)
    }
    const capacity = str(ctx, 'capacity')
    const resetHour = str(ctx, 'reset-hour')
    const z = await core.venue.configureZone(name, {
      capacity: capacity === undefined ? undefined : capacity === 'none' ? null : Number(capacity),
      hard: ctx.values.hard ? true : ctx.values.soft ? false : undefined,
      anti_passback: onOff(ctx, 'anti-passback'),
      reset_hour: resetHour === undefined ? undefined : resetHour === 'none' ? null : Number(resetHour),
    })
    return print(ctx, z, () => describeZone(z))
  })

const zones: Command = (ctx) =>
  withReader(ctx, (core) => {
    const list = core.venue.zones()
    return print(ctx, list, () => zonesTable(list))
  })

const WATCH_USAGE =
  'usage: watch list | watch add <credential> (--blocked|--vip) [--note TEXT] [--until ISO] --by NAME | watch add --attendee EXTERNAL_ID --project P … | watch remove <id> --by NAME'

const watch: Command = (ctx) =>
  withCore(ctx, async (core) => {
    const [action = 'list', arg] = ctx.args
    if (action === 'list') {
      const list = core.venue.watchList()
      return print(ctx, list, () =>
        list.length === 0
          ? 'the watch list is empty'
          : table(
              ['id', 'kind', 'flagged', 'note', 'until', 'by'],
              list.map((w) => [
                String(w.id),
                w.kind,
                w.credential ?? `${w.attendee!.name} (${w.attendee!.external_id})`,
                w.note,
                w.until ?? '—',
                `${w.created_by}, ${sinceText(w.created_at)}`,
              ]),
            ),
      )
    }
    const by = operator(ctx, WATCH_USAGE)
    if (action === 'remove') {
      const id = Number(arg)
      if (!Number.isInteger(id) || id < 1) throw new Error(WATCH_USAGE)
      const removed = await core.venue.unwatch(id, by)
      return print(ctx, removed, () => `removed watch-list entry ${id} (${removed.kind})`)
    }
    if (action !== 'add') throw new Error(WATCH_USAGE)
    const kind = ctx.values.blocked ? 'blocked' : ctx.values.vip ? 'vip' : null
    if (!kind || (ctx.values.blocked && ctx.values.vip)) throw new Error(WATCH_USAGE)
    const attendee = str(ctx, 'attendee')
    const project = str(ctx, 'project')
    if ((arg === undefined) === (attendee === undefined) || (attendee !== undefined && !project)) throw new Error(WATCH_USAGE)
    const untilText = str(ctx, 'until')
    const until = untilText === undefined ? null : Date.parse(untilText)
    if (Number.isNaN(until)) throw new Error('--until must be an ISO 8601 date-time')
    const target = arg !== undefined ? { credential: arg } : { attendee: attendee!, project: project! }
    const entry = await core.venue.watch(target, kind, str(ctx, 'note') ?? '', until, by)
    return print(
      ctx,
      entry,
      () => `watch-list entry ${entry.id}: ${entry.kind} ${entry.credential ?? entry.attendee?.name}; applies to the next scan`,
    )
  })

const LOCKDOWN_USAGE = 'usage: lockdown [show] | lockdown on|off [--zone Z] [--note TEXT] --by NAME'

const lockdown: Command = (ctx) =>
  withCore(ctx, async (core) => {
    const [action = 'show'] = ctx.args
    if (action === 'on' || action === 'off') {
      const list = await core.venue.lockdown(
        action === 'on',
        str(ctx, 'zone') ?? null,
        operator(ctx, LOCKDOWN_USAGE),
        str(ctx, 'note') ?? '',
      )
      return print(ctx, list, () =>
        list.length === 0 ? 'no lockdown in force' : list.map((l) => `LOCKDOWN ${l.zone ?? 'everywhere'} by ${l.by}`).join('\n'),
      )
    }
    if (action !== 'show') throw new Error(LOCKDOWN_USAGE)
    const list = core.venue.lockdowns()
    return print(ctx, list, () =>
      list.length === 0
        ? 'no lockdown in force'
        : list.map((l) => `LOCKDOWN ${l.zone ?? 'everywhere'} since ${l.at} by ${l.by}${l.note ? `: ${l.note}` : ''}`).join('\n'),
    )
  })

const ADMIT_USAGE = 'usage: admit <reader-id> [--credential C] [--minutes N] [--note TEXT] --by NAME'

const admit: Command = (ctx) =>
  withCore(ctx, async (core) => {
    const [reader] = ctx.args
    if (!reader) throw new Error(ADMIT_USAGE)
    const minutes = str(ctx, 'minutes') === undefined ? 5 : Number(str(ctx, 'minutes'))
    const o = await core.venue.admitOnce(
      reader,
      str(ctx, 'credential') ?? null,
      minutes,
      str(ctx, 'note') ?? '',
      operator(ctx, ADMIT_USAGE),
    )
    return print(
      ctx,
      o,
      () => `${o.credential ?? 'the next scan'} at ${o.reader_id} is admitted once until ${o.expires_at} (by ${o.created_by})`,
    )
  })

export const venueCommands: Record<string, Command> = { zone, zones, watch, lockdown, admit }
