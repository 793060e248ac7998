// `gatehouse simulate`: a venue of gateways posting signed webhooks to a station, then a report
// of what was sent and what came back. Also the demo's traffic and the benchmark's load model.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ENDPOINTS, endpointNameSchema, type EndpointName } from '../../shared/webhooks'
import { createSecretStore } from '../station/secrets'
import { openCore } from '../station/core'
import type { Venue } from '../simulator/venue'
import { runSimulation, SIM_DEFAULTS } from '../simulator/run'
import { formatReport } from '../simulator/report'
import type { CommandContext } from './context'

export const DEFAULT_TARGET = 'http://127.0.0.1:8787'

function numberArg(ctx: CommandContext, key: string, fallback: number, min: number, max: number, integer = true): number {
  const raw = ctx.values[key]
  if (typeof raw !== 'string') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    throw new Error(`--${key} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${raw}")`)
  }
  return n
}

/**
 * Secrets for each source: `--secret endpoint=VALUE` wins, then `--secret VALUE` (all sources), then
 * the station's own secrets file in --data-dir (which also honours GATEHOUSE_SECRET* like the station).
 */
export function resolveSecrets(
  flags: string[],
  dataDir: string | null,
  env: NodeJS.ProcessEnv = process.env,
): { secrets: Record<EndpointName, string>; from: string } {
  const own: Partial<Record<EndpointName, string>> = {}
  let all: string | undefined
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    const name = eq > 0 ? endpointNameSchema.safeParse(flag.slice(0, eq)) : null
    if (name?.success) own[name.data] = flag.slice(eq + 1)
    else all = flag
  }
  const missing = ENDPOINTS.filter((e) => !own[e] && all === undefined)
  let stored: ((e: EndpointName) => string) | null = null
  if (missing.length > 0 && dataDir && existsSync(join(dataDir, 'secrets.json'))) {
    const store = createSecretStore({ dataDir, env })
    store.load()
    stored = (e) => store.info(e).secret
  }
  const secrets = {} as Record<EndpointName, string>
  for (const e of ENDPOINTS) {
    const value = own[e] ?? all ?? stored?.(e)
    if (!value) {
      throw new Error(
        `no secret for ${e}: pass --secret ${e}=VALUE (or --secret VALUE for every source), ` +
          `or --data-dir pointing at the station's data directory`,
      )
    }
    secrets[e] = value
  }
  const from = flags.length === 0 ? `the station's secrets in ${dataDir}` : missing.length > 0 ? `--secret and ${dataDir}` : '--secret'
  return { secrets, from }
}

/**
 * `--zones`: as the venue's admin would, puts each gateway's readers in its zone (the first half
 * entries, the rest exits) in the station's store in --data-dir, with a capacity near 40 % of the
 * attendees per zone, so the desk shows occupancy moving.
 */
async function placeInZones(ctx: CommandContext, venue: Venue): Promise<void> {
  const core = openCore({ dataDir: ctx.dataDir })
  try {
    const capacity = Math.max(10, Math.ceil((venue.attendees.length * 0.4) / venue.gateways.length))
    for (const g of venue.gateways) {
      for (const [i, reader] of g.readers.entries()) await core.venue.placeReader(reader, { zone: g.zone, direction: g.directions[i]! })
      await core.venue.configureZone(g.zone, { capacity })
    }
    if (!ctx.json) ctx.err(`zones: ${venue.gateways.map((g) => g.zone).join(', ')} (capacity ${capacity} each), set in ${ctx.dataDir}`)
  } finally {
    core.close()
  }
}

export async function simulateCommand(ctx: CommandContext): Promise<number> {
  const target = typeof ctx.values.target === 'string' ? ctx.values.target : DEFAULT_TARGET
  const flags = Array.isArray(ctx.values.secret) ? ctx.values.secret : typeof ctx.values.secret === 'string' ? [ctx.values.secret] : []
  const { secrets, from } = resolveSecrets(flags, ctx.dataDir)
  const durationSeconds = numberArg(ctx, 'duration', SIM_DEFAULTS.durationSeconds, 0, 7 * 86_400)
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  if (!ctx.json) {
    ctx.err(`simulating a venue against ${target} (secrets from ${from}); ${durationSeconds > 0 ? `${durationSeconds} s` : 'until Ctrl-C'}`)
  }
  try {
    const report = await runSimulation({
      target,
      secrets,
      gateways: numberArg(ctx, 'gateways', SIM_DEFAULTS.gateways, 1, 1000),
      readersPerGateway: numberArg(ctx, 'readers-per-gateway', SIM_DEFAULTS.readersPerGateway, 1, 1000),
      rate: numberArg(ctx, 'rate', SIM_DEFAULTS.rate, 0, 100_000, false),
      durationSeconds,
      attendees: numberArg(ctx, 'attendees', SIM_DEFAULTS.attendees, 1, 200_000),
      signal: controller.signal,
      onVenueOpen: ctx.values.zones === true ? (venue) => placeInZones(ctx, venue) : undefined,
      onProgress: ctx.json
        ? undefined
        : (r) =>
            ctx.err(
              `  ${r.venue_open_s} s: ${r.totals.sent} requests, ${r.scans.granted} granted, ${r.scans.denied} denied, ${r.totals.refused + r.totals.errors} failed; access-event p99 ${r.requests['access-event'].latency_ms.p99 ?? '—'} ms`,
            ),
    })
    ctx.out(ctx.json ? JSON.stringify(report, null, 2) : formatReport(report))
    // A script running the simulator learns from the exit code that something was refused or unanswered.
    return report.totals.refused + report.totals.errors === 0 ? 0 : 1
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}
