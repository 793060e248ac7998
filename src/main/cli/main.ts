#!/usr/bin/env node
// `gatehouse <command>`: the headless station and the admin commands that work beside it.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { resolve } from 'node:path'
import { defaultDataDir } from '../station/config'
import { commands, type CommandContext } from './commands'
import { jsonSafe, terminalSafe } from './format'
import { cliChange, recordCliChange, snapshotFiles } from './cli-audit'

const USAGE = `Usage: gatehouse <command> [options]

Commands:
  station [--host H] [--port P] [--https-port P] [--no-http] [--dashboard-host H] [--dashboard-port P] [--dashboard-name N]... [--no-dashboard]
                                       run the receiver (and the browser dashboard) headless;
                                       HTTPS on 8443 by default (--https-port 0: off); the dashboard
                                       answers only to this machine's names (and --dashboard-name) and
                                       to the token in the address it prints (GATEHOUSE_DASHBOARD_TOKEN)
  tls show|regenerate | tls import --cert FILE --key FILE
                                       the HTTPS certificate: SHA-256 fingerprint to pin, names, validity
  replay [show] | replay on|off <endpoint|all> [--window SECONDS]
                                       refuse replayed or stale bodies (409); off by default, window ±300 s
  http [show] | http on|off            serve plain HTTP beside HTTPS, or not
  backup <file>                        online backup of the store (while the station runs)
  allowlist add|remove|list <endpoint> [<ip-or-cidr>] [--label L] [--open]
  allowlist set <endpoint> [<ip-or-cidr>[=LABEL]]... [--open]
                                       replace the whole list in one commit; emptying a list
                                       (it then accepts any source) needs --open
  secret show|rotate <endpoint> [--grace-hours N]
  notify list | notify add <name> <url> [--min-priority 1-5] | notify update <name> --min-priority 1-5
  notify test|secret|remove <name>     alert changes POSTed to a URL, signed the Standard Webhooks way
  logs [--endpoint E] [--status CODE|4xx] [--since ISO] [--until ISO] [--limit N]
  status                               gateways, their readers and health
  alerts [--all]                       the alert queue: priority, state, subject
  alerts --ack|--investigate|--resolve ID [--note T] --by NAME | alerts --snooze ID --minutes N --by NAME
  alerts --id ID --note T --by NAME    an operator's step (a note is required to acknowledge priority 1)
  alerts history ID                    who did what to an alert, with the notes
  alerts export --since ISO [--until ISO] [--format csv|json] [--out FILE]
                                       incident export: alerts open in the range, with their notes
  alerts kinds | alerts kind <kind> [--priority 1-5] [--instructions T] [--reactivation-minutes N] [--snooze-max-minutes N] [--reset] --by NAME
                                       each kind's priority, instructions, reactivation window, longest snooze
  attendees [--search Q] [--limit N]
  decisions [--since ISO] [--limit N]
  projects [--default team/project] [--cvent team/project]
                                       (registrations already received keep their project)
  credentials [list] | credentials resolve <credential> --project P (--keep EXTERNAL_ID | --nobody) --by NAME
                                       credentials claimed by two people: denied to both until resolved
  reader <reader-id> [--project team/project] [--enable|--disable] [--types a,b] [--anti-passback S]
         [--zone Z|none] [--direction entry|exit|both] [--open 08:00-18:30,…|always]
  zone <name> [--capacity N|none] [--hard|--soft] [--anti-passback on|off] [--reset-hour H|none] [--reset --by NAME]
  zones                                each zone: inside, capacity, rules, readers
  watch list | watch add <credential>|--attendee ID --project P (--blocked|--vip) [--note T] [--until ISO] --by NAME
  watch remove <id> --by NAME          the watch list (applies to the next scan)
  lockdown [show] | lockdown on|off [--zone Z] [--note T] --by NAME
  admit <reader-id> [--credential C] [--minutes N] --by NAME
                                       admit once: a credential (or the next scan) past a forgivable denial
  admin set-passphrase                 the admin passphrase the desk asks for before admin actions
                                       (read without echo from the terminal, or the first line of stdin)
  audit [--since ISO] [--limit N]      who changed what, from which desk or the CLI (secrets redacted)
  settings [show] | settings set <name> <value|default> --by NAME
                                       run-time settings (gateway timeout, retention…): in the store,
                                       shared by the station, the desk and the CLI; a GATEHOUSE_…
                                       variable overrides one (shown)
  simulate --target URL [--gateways N] [--readers-per-gateway M] [--rate SCANS/S] [--duration S]
           [--attendees K] [--secret [endpoint=]VALUE]... [--zones]
                                       a venue of gateways posting signed webhooks, then a report

Every command takes --data-dir DIR (default: ${defaultDataDir()}) and, where it prints data, --json.
Endpoints: mqtt-gateway-status, access-event, cvent, attendee-sync.`

const options = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  host: { type: 'string' },
  port: { type: 'string' },
  'dashboard-host': { type: 'string' },
  'dashboard-port': { type: 'string' },
  'dashboard-name': { type: 'string', multiple: true },
  'no-dashboard': { type: 'boolean', default: false },
  'https-port': { type: 'string' },
  'no-http': { type: 'boolean', default: false },
  window: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  label: { type: 'string' },
  'grace-hours': { type: 'string' },
  endpoint: { type: 'string' },
  status: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  all: { type: 'boolean', default: false },
  keep: { type: 'string' },
  nobody: { type: 'boolean', default: false },
  zone: { type: 'string' },
  direction: { type: 'string' },
  // Two uses: `allowlist … --open` (a bare confirmation) and `reader … --open 08:00-18:30` (hours).
  open: { type: 'string' },
  capacity: { type: 'string' },
  hard: { type: 'boolean', default: false },
  soft: { type: 'boolean', default: false },
  'reset-hour': { type: 'string' },
  reset: { type: 'boolean', default: false },
  blocked: { type: 'boolean', default: false },
  vip: { type: 'boolean', default: false },
  note: { type: 'string' },
  attendee: { type: 'string' },
  credential: { type: 'string' },
  minutes: { type: 'string' },
  zones: { type: 'boolean', default: false },
  ack: { type: 'string' },
  investigate: { type: 'string' },
  snooze: { type: 'string' },
  resolve: { type: 'string' },
  id: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  priority: { type: 'string' },
  instructions: { type: 'string' },
  'reactivation-minutes': { type: 'string' },
  'snooze-max-minutes': { type: 'string' },
  by: { type: 'string' },
  search: { type: 'string' },
  default: { type: 'string' },
  cvent: { type: 'string' },
  project: { type: 'string' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  types: { type: 'string' },
  'anti-passback': { type: 'string' },
  target: { type: 'string' },
  gateways: { type: 'string' },
  'readers-per-gateway': { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  attendees: { type: 'string' },
  secret: { type: 'string', multiple: true },
  'min-priority': { type: 'string' },
} satisfies ParseArgsConfig['options']

/** A bare `--open` (end of line, or another flag next) is the allowlist's confirmation: `--open=`. */
const withBareFlags = (argv: string[]): string[] =>
  argv.map((a, i) => (a === '--open' && (i === argv.length - 1 || argv[i + 1]!.startsWith('--')) ? '--open=' : a))

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: withBareFlags(argv), options, allowPositionals: true, strict: true })
  } catch (err) {
    process.stderr.write(`gatehouse: ${(err as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  const [name, ...rest] = parsed.positionals
  if (!name || parsed.values.help) {
    process.stdout.write(`${USAGE}\n`)
    return name || parsed.values.help ? 0 : 2
  }
  const command = commands[name]
  if (!command) {
    process.stderr.write(`gatehouse: unknown command "${name}"\n\n${USAGE}\n`)
    return 2
  }
  const json = parsed.values.json
  // Every line leaves through here: stored data in it cannot steer the terminal (see format.ts).
  const safe = (text: string): string => terminalSafe(json ? jsonSafe(text) : text, { keepNewlines: true })
  const line = (text: string): string => (text.endsWith('\n') ? text : `${text}\n`)
  const ctx: CommandContext = {
    args: rest,
    values: parsed.values,
    dataDir: resolve(parsed.values['data-dir'] ?? defaultDataDir()),
    json,
    out: (text) => process.stdout.write(line(safe(text))),
    err: (text) => process.stderr.write(line(terminalSafe(text, { keepNewlines: true }))),
  }
  const changeName = cliChange(name, rest, parsed.values)
  const change = changeName === null ? undefined : { command: changeName, row: null }
  ctx.change = change
  try {
    const before = change ? await snapshotFiles(ctx, change) : undefined
    const code = await command(ctx)
    // A change carried by a store write has its record already, committed with it.
    if (change && code === 0 && change.row === null) await recordCliChange(ctx, change, before)
    return code
  } catch (err) {
    ctx.err(`gatehouse ${name}: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // `station` keeps running; every other command ends here.
    if (code !== -1) process.exitCode = code
  },
  (err) => {
    process.stderr.write(`${terminalSafe(String(err), { keepNewlines: true })}\n`)
    process.exitCode = 1
  },
)
