// The CLI's commands. Admin commands open the same SQLite file as a running station (WAL lets
// both work at once); the station notices their changes within a second.
import { endpointPath } from '../../shared/webhooks'
import { statusFilterSchema } from '../../shared/log'
import { endpointArg, print, str, withCore, withReader, type Command, type CommandContext } from './context'

export type { Command, CommandContext } from './context'
import { SecretOverriddenError } from '../station/secrets'
import { AllowlistWouldOpenError } from '../station/store/allowlist'
import { runStation } from './station-command'
import { simulateCommand } from './simulate-command'
import { securityCommands } from './security-commands'
import { credentialsCommand } from './credentials-command'
import { venueCommands } from './venue-commands'
import { DIRECTIONS, type Direction } from '../../shared/venue'
import { parseOpenWindows } from '../station/venue/open-windows'
import { notifyCommand } from './notify-command'
import { alertsCommand } from './alerts-command'
import { adminCommand, auditCommand } from './admin-command'
import { settingsCommand } from './settings-command'
import { table, since as sinceText } from './format'

function intArg(ctx: CommandContext, key: string, fallback: number, min = 1, max = 1_000_000): number {
  const raw = str(ctx, key)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${key} must be a whole number from ${min} to ${max}`)
  return n
}

function isoArg(ctx: CommandContext, key: string): string | undefined {
  const raw = str(ctx, key)
  if (raw === undefined) return undefined
  const ms = Date.parse(raw)
  if (Number.isNaN(ms)) throw new Error(`--${key} must be an ISO 8601 date or date-time (got "${raw}")`)
  return new Date(ms).toISOString()
}

export const commands: Record<string, Command> = {
  station: runStation,
  simulate: simulateCommand,
  credentials: credentialsCommand,
  ...venueCommands,
  ...securityCommands,
  notify: notifyCommand,
  admin: adminCommand,
  audit: auditCommand,
  settings: settingsCommand,

  allowlist: (ctx) =>
    (ctx.args[0] === 'list' ? withReader : withCore)(ctx, async (core) => {
      const [action, endpointText, entry, ...more] = ctx.args
      const endpoint = endpointArg(endpointText)
      // A bare --open (see main.ts): the admin confirms that the list may end up empty.
      const open = ctx.values.open === ''
      const opened = `${endpointPath(endpoint)} now has no entries: it accepts requests from any source address`
      // An edit that would empty the list is refused, the list left as it was, unless --open says so.
      const confirm = (err: unknown): number => {
        if (!(err instanceof AllowlistWouldOpenError)) throw err
        ctx.err(
          `refused: ${err.message}. Add --open to confirm, or replace the entry in one step: gatehouse allowlist set ${endpoint} <ip-or-cidr>…`,
        )
        return 1
      }
      switch (action) {
        case 'add': {
          if (!entry) throw new Error('usage: allowlist add <endpoint> <ip-or-cidr> [--label L]')
          const added = await core.queue.enqueue(() => core.allowlist.add(endpoint, entry, str(ctx, 'label')))
          return print(ctx, added, () => `allowed ${added.entry}${added.label ? ` (${added.label})` : ''} on ${endpointPath(endpoint)}`)
        }
        case 'remove': {
          if (!entry) throw new Error('usage: allowlist remove <endpoint> <ip-or-cidr> [--open]')
          let removed: boolean
          try {
            removed = await core.queue.enqueue(() => core.allowlist.remove(endpoint, entry, { open }))
          } catch (err) {
            return confirm(err)
          }
          if (!removed) {
            ctx.err(`${entry} is not on the ${endpoint} allowlist`)
            return 1
          }
          const left = core.allowlist.list(endpoint).length
          return print(ctx, { removed: true }, () => `removed ${entry} from ${endpointPath(endpoint)}${left === 0 ? ` (${opened})` : ''}`)
        }
        case 'set': {
          // ENTRY or ENTRY=LABEL ("=" is never part of an address); an entry given without a label keeps its own.
          const entries = [entry, ...more]
            .filter((e): e is string => e !== undefined)
            .map((e) => {
              const eq = e.indexOf('=')
              return eq < 0 ? { entry: e } : { entry: e.slice(0, eq), label: e.slice(eq + 1) }
            })
          let list
          try {
            list = await core.queue.enqueue(() => core.allowlist.replace(endpoint, entries, { open }))
          } catch (err) {
            return confirm(err)
          }
          return print(ctx, list, () =>
            list.length === 0
              ? opened
              : `${endpointPath(endpoint)} now allows exactly: ${list.map((e) => `${e.entry}${e.label ? ` (${e.label})` : ''}`).join(', ')}`,
          )
        }
        case 'list': {
          const list = core.allowlist.list(endpoint)
          return print(ctx, list, () =>
            list.length === 0
              ? `${endpointPath(endpoint)}: no entries — any source address is allowed`
              : table(
                  ['entry', 'label', 'hits', 'last hit', 'added'],
                  list.map((e) => [e.entry, e.label ?? '', String(e.hits), e.last_hit_at ? sinceText(e.last_hit_at) : '—', e.created_at]),
                ),
          )
        }
        default:
          throw new Error('usage: allowlist add|remove|set|list <endpoint> [<ip-or-cidr>…] [--label L] [--open]')
      }
    }),

  secret: (ctx) =>
    withCore(ctx, (core) => {
      const [action, endpointText] = ctx.args
      const endpoint = endpointArg(endpointText)
      if (action === 'show') {
        const info = core.secrets.info(endpoint)
        return print(ctx, info, () =>
          [
            info.secret,
            info.origin === 'env' ? `(from ${info.env_var})` : `(stored in ${core.secrets.file}, created ${info.created_at})`,
            info.previous_valid_until ? `the previous secret is still accepted until ${info.previous_valid_until}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
        )
      }
      if (action === 'rotate') {
        const graceHours = intArg(ctx, 'grace-hours', 24, 0, 24 * 30)
        try {
          const info = core.secrets.rotate(endpoint, graceHours * 3600_000)
          return print(
            ctx,
            info,
            () =>
              `${info.secret}\nnew secret for ${endpointPath(endpoint)}; ` +
              (info.previous_valid_until ? `the old one is accepted until ${info.previous_valid_until}` : 'the old one no longer verifies'),
          )
        } catch (err) {
          if (err instanceof SecretOverriddenError) {
            ctx.err(err.message)
            return 1
          }
          throw err
        }
      }
      throw new Error('usage: secret show|rotate <endpoint>')
    }),

  logs: (ctx) =>
    withReader(ctx, (core) => {
      const statusText = str(ctx, 'status')
      const status = statusText === undefined ? undefined : statusFilterSchema.safeParse(statusText)
      if (status && !status.success) throw new Error('--status must be an HTTP status (e.g. 401) or a class (2xx, 4xx, 5xx)')
      const endpointText = str(ctx, 'endpoint')
      const entries = core.log.query({
        endpoint:
          endpointText === undefined ? undefined : endpointText.startsWith('/') ? endpointText : endpointPath(endpointArg(endpointText)),
        status: status?.data,
        since: isoArg(ctx, 'since'),
        until: isoArg(ctx, 'until'),
        limit: intArg(ctx, 'limit', 50, 1, 10_000),
      })
      if (ctx.json) {
        // Exactly the doc's Webhook Log Entry shape.
        const doc = entries.map(({ id, endpoint, method, status, source_ip, received_at, response_time_ms }) => ({
          id,
          endpoint,
          method,
          status,
          source_ip,
          received_at,
          response_time_ms,
        }))
        ctx.out(JSON.stringify(doc, null, 2))
        return 0
      }
      ctx.out(
        entries.length === 0
          ? 'no log entries match'
          : table(
              ['id', 'received_at', 'method', 'endpoint', 'status', 'source_ip', 'ms', 'count', 'reason'],
              entries.map((e) => [
                e.id,
                e.received_at,
                e.method,
                e.endpoint,
                String(e.status),
                e.source_ip,
                String(e.response_time_ms),
                // An aggregated flood of refusals: how many, and until when.
                e.count > 1 ? `${e.count} until ${e.last_received_at ?? '?'}` : '1',
                [e.late ? '[late]' : '', e.clock_ahead ? '[clock ahead]' : '', e.reason ?? ''].filter(Boolean).join(' '),
              ]),
            ),
      )
      return 0
    }),

  status: (ctx) =>
    withReader(ctx, (core) => {
      const { gateways, unassigned } = core.access.gateways.list()
      return print(ctx, { gateways, unassigned_readers: unassigned }, () => {
        if (gateways.length === 0 && unassigned.length === 0) return 'no gateways or readers seen yet'
        const rows: string[][] = []
        for (const g of gateways) {
          rows.push([
            g.gateway_id,
            '',
            g.health,
            g.status,
            sinceText(g.last_seen),
            `${g.reader_counts.healthy}/${g.reader_counts.total} healthy`,
          ])
          for (const r of g.readers)
            rows.push([
              '',
              r.reader_id,
              r.health,
              r.status ?? '—',
              r.last_scan ? `last scan ${sinceText(r.last_scan)}` : 'no scan yet',
              r.enabled ? '' : 'disabled',
            ])
        }
        for (const r of unassigned)
          rows.push([
            '(none)',
            r.reader_id,
            r.health,
            r.status ?? '—',
            r.last_scan ? `last scan ${sinceText(r.last_scan)}` : 'no scan yet',
            r.enabled ? '' : 'disabled',
          ])
        return table(['gateway', 'reader', 'health', 'reported', 'last heard', 'readers'], rows)
      })
    }),

  alerts: alertsCommand,

  attendees: (ctx) =>
    withReader(ctx, (core) => {
      const list = core.access.attendees.search(str(ctx, 'search') ?? '', intArg(ctx, 'limit', 100, 1, 100_000))
      return print(ctx, list, () =>
        list.length === 0
          ? 'no attendees match'
          : table(
              ['id', 'project', 'external_id', 'name', 'type', 'credential', 'status', 'last scan'],
              list.map((a) => [
                String(a.id),
                a.project,
                a.external_id,
                `${a.first_name} ${a.last_name}`,
                a.attendee_type,
                a.credential_value,
                a.status,
                a.last_scan_at ? sinceText(a.last_scan_at) : '—',
              ]),
            ),
      )
    }),

  decisions: (ctx) =>
    withReader(ctx, (core) => {
      const since = isoArg(ctx, 'since')
      const list = core.access.decisions.recent(since ? Date.parse(since) : 0, intArg(ctx, 'limit', 50, 1, 100_000))
      return print(ctx, list, () =>
        list.length === 0
          ? 'no decisions'
          : table(
              ['id', 'decided_at', 'reader', 'credential', 'attendee', 'decision', 'reason'],
              list.map((d) => [
                String(d.id),
                d.decided_at,
                d.reader_id,
                d.credential_value,
                d.attendee ? `${d.attendee.first_name} ${d.attendee.last_name}` : '—',
                d.access_granted ? '✔ granted' : '✖ denied',
                d.reason,
              ]),
            ),
      )
    }),

  projects: (ctx) =>
    (str(ctx, 'default') === undefined && str(ctx, 'cvent') === undefined ? withReader : withCore)(ctx, async (core) => {
      const p = core.access.projects
      const def = str(ctx, 'default')
      const cvent = str(ctx, 'cvent')
      for (const [name, set] of [
        [def, (id: number) => p.setDefault(id)],
        [cvent, (id: number) => p.setCvent(id)],
      ] as const) {
        if (name === undefined) continue
        const id = p.find(name)
        if (id === undefined) throw new Error(`no project "${name}" (see gatehouse projects)`)
        await core.queue.enqueue(() => set(id))
        if (!ctx.json) ctx.out(p.changeNotice(name === def ? 'default' : 'cvent', id))
      }
      const list = p.list()
      return print(ctx, list, () =>
        list.length === 0
          ? 'no projects yet (they come from attendee-sync team_slug/project_slug)'
          : table(
              ['project', 'attendees', ''],
              list.map((r) => [
                r.name,
                String(r.attendees),
                [r.is_default ? 'default' : '', r.is_cvent ? 'cvent' : ''].filter(Boolean).join(', '),
              ]),
            ),
      )
    }),

  reader: (ctx) =>
    withCore(ctx, async (core) => {
      const [readerId] = ctx.args
      if (!readerId)
        throw new Error(
          'usage: reader <reader-id> [--project team/project] [--enable|--disable] [--types a,b] [--anti-passback S] [--zone Z|none] [--direction entry|exit|both] [--open 08:00-18:30|always]',
        )
      const projectName = str(ctx, 'project')
      const projectId = projectName === undefined ? undefined : projectName === 'default' ? null : core.access.projects.find(projectName)
      if (projectId === undefined && projectName !== undefined) throw new Error(`no project "${projectName}"`)
      const types = str(ctx, 'types')
      const apb = str(ctx, 'anti-passback')
      const zone = str(ctx, 'zone')
      const direction = str(ctx, 'direction')
      const open = str(ctx, 'open')
      if (direction !== undefined && !(DIRECTIONS as readonly string[]).includes(direction))
        throw new Error('--direction is entry, exit or both')
      if (zone !== undefined || direction !== undefined || open !== undefined) {
        await core.venue.placeReader(readerId, {
          zone: zone === undefined ? undefined : zone === 'none' ? null : zone,
          direction: direction as Direction | undefined,
          open_windows: open === undefined ? undefined : open === 'always' ? null : parseOpenWindows(open),
        })
      }
      const updated = await core.queue.enqueue(() =>
        core.access.gateways.configureReader(readerId, {
          project_id: projectId,
          enabled: ctx.values.enable ? true : ctx.values.disable ? false : undefined,
          allowed_types:
            types === undefined
              ? undefined
              : types.trim() === ''
                ? null
                : types
                    .split(',')
                    .map((t) => t.trim())
                    .filter(Boolean),
          anti_passback_seconds: apb === undefined ? undefined : Number(apb) > 0 ? intArg(ctx, 'anti-passback', 0, 0, 86_400) : null,
        }),
      )
      if (!updated) {
        ctx.err(`no reader "${readerId}" has been seen yet`)
        return 1
      }
      const view = core.access.gateways.readerView(updated)
      return print(
        ctx,
        view,
        () =>
          `${view.reader_id}: project ${view.project ?? '(default)'}, ${view.enabled ? 'enabled' : 'disabled'}, types ${view.allowed_types?.join(', ') ?? 'all'}, anti-passback ${view.anti_passback_seconds ?? 'off'}, zone ${view.zone ? `${view.zone} (${view.direction})` : 'none'}, open ${view.open_windows ?? 'always'}`,
      )
    }),
}
