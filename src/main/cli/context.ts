// What every CLI command gets, and the small helpers they share.
import { openCore, type Core } from '../station/station'
import { auditedWrites, type CliChange } from './cli-audit'
import { ENDPOINTS, endpointNameSchema, type EndpointName } from '../../shared/webhooks'

export interface CommandContext {
  args: string[]
  values: Record<string, string | boolean | string[] | undefined>
  dataDir: string
  json: boolean
  out: (text: string) => void
  err: (text: string) => void
  /** Set when the command line is a change: its store writes carry its audit record (see cli-audit.ts). */
  change?: CliChange
}

/** Returns the exit code; -1 means "still running" (the station). */
export type Command = (ctx: CommandContext) => Promise<number>

export const str = (ctx: CommandContext, key: string): string | undefined => {
  const v = ctx.values[key]
  return typeof v === 'string' ? v : undefined
}

/** Prints `data` as JSON with --json, else the human text. */
export const print = (ctx: CommandContext, data: unknown, human: () => string): number => {
  ctx.out(ctx.json ? JSON.stringify(data, null, 2) : human())
  return 0
}

/** Opens the store beside a running station (WAL lets both work), runs `fn`, closes it. */
export async function withCore<T>(ctx: CommandContext, fn: (core: Core) => T | Promise<T>): Promise<T> {
  const change = ctx.change
  const core = openCore({
    dataDir: ctx.dataDir,
    followStation: true,
    wrapWrite: change ? (built) => auditedWrites(ctx, change, built) : undefined,
  })
  try {
    return await fn(core)
  } finally {
    core.close()
  }
}

/**
 * For commands that only read: the store read-only, no secrets loaded, nothing written (not even a
 * store or a secrets file in an empty directory).
 */
export async function withReader<T>(ctx: CommandContext, fn: (core: Core) => T | Promise<T>): Promise<T> {
  const core = openCore({ dataDir: ctx.dataDir, readOnly: true, followStation: true })
  try {
    return await fn(core)
  } finally {
    core.close()
  }
}

/** An endpoint name (`access-event`, or its path); `extra` names another accepted word in the error. */
export function endpointArg(value: string | undefined, extra?: string): EndpointName {
  const parsed = endpointNameSchema.safeParse(value?.replace(/^\/?webhook\/v1\//, ''))
  if (!parsed.success) {
    throw new Error(`expected an endpoint: ${extra ? `${extra}, ` : 'one of '}${ENDPOINTS.join(', ')} (got "${value ?? ''}")`)
  }
  return parsed.data
}
