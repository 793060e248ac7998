#!/usr/bin/env node
// `gatehouse <command>`: the headless station and the admin commands that work beside it.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { resolve } from 'node:path'
import { defaultDataDir } from '../station/config'
import { commands, type CommandContext } from './commands'

const USAGE = `Usage: gatehouse <command> [options]

Commands:
  station [--host H] [--port P] [--https-port P] [--no-http] [--dashboard-host H] [--dashboard-port P] [--no-dashboard]
                                       run the receiver (and the browser dashboard) headless;
                                       HTTPS on 8443 by default (--https-port 0: off)
  tls show|regenerate | tls import --cert FILE --key FILE
                                       the HTTPS certificate: SHA-256 fingerprint to pin, names, validity
  replay [show] | replay on|off <endpoint|all> [--window SECONDS]
                                       refuse replayed or stale bodies (409); off by default, window ±300 s
  http [show] | http on|off            serve plain HTTP beside HTTPS, or not
  backup <file>                        online backup of the store (while the station runs)
  allowlist add|remove|list <endpoint> [<ip-or-cidr>] [--label L]
  secret show|rotate <endpoint> [--grace-hours N]
  notify list | notify add <name> <url> [--min-priority 1-5] | notify update <name> --min-priority 1-5
  notify test|secret|remove <name>     alert changes POSTed to a URL, signed the Standard Webhooks way
  logs [--endpoint E] [--status CODE|4xx] [--since ISO] [--until ISO] [--limit N]
  status                               gateways, their readers and health
  alerts [--all] [--ack ID --by NAME]  open alerts; acknowledge one
  attendees [--search Q] [--limit N]
  decisions [--since ISO] [--limit N]
  projects [--default team/project] [--cvent team/project]
  reader <reader-id> [--project team/project] [--enable|--disable] [--types a,b] [--anti-passback S]
  simulate --target URL [--gateways N] [--readers-per-gateway M] [--rate SCANS/S] [--duration S]
           [--attendees K] [--secret [endpoint=]VALUE]...
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
  ack: { type: 'string' },
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

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
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
  const ctx: CommandContext = {
    args: rest,
    values: parsed.values,
    dataDir: resolve(parsed.values['data-dir'] ?? defaultDataDir()),
    json: parsed.values.json,
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  }
  try {
    return await command(ctx)
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
    process.stderr.write(`${String(err)}\n`)
    process.exitCode = 1
  },
)
