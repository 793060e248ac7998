// The replay guard. GxP signs the body only, so a captured request stays valid for ever. Per
// endpoint and off by default, the guard refuses (after the signature checks out) a body whose
// `timestamp` is further than the window from the station's clock, and bytes it already accepted
// while they could still pass that check: until max(seen, timestamp) + window, not just seen +
// window — a body stamped ahead of the clock is otherwise replayable once the first copy is forgotten.
import { createHash } from 'node:crypto'
import { ENDPOINTS, isoTimestamp, type EndpointName } from '../../../shared/webhooks'
import { defaultReplayGuards, type ReplayGuardConfig, type ReplayGuards } from '../../../shared/station-settings'

export type ReplayVerdict =
  | { ok: true; digest: Buffer | null }
  | { ok: false; problem: 'stale' | 'duplicate' | 'no_timestamp'; reason: string; detail: Record<string, string[]> }

export interface ReplayGuard {
  /** Checks a verified body; an accepted one is remembered at once (call release() if it is not applied). */
  check(endpoint: EndpointName, raw: Buffer, sentAt: number | null, now: number): ReplayVerdict
  /** Forgets a body whose request failed before it was applied (the gateway may send it again). */
  release(endpoint: EndpointName, digest: Buffer): void
  /** Marks a body as seen (seeding from the log after a restart). */
  remember(endpoint: EndpointName, digest: Buffer, seenAt: number, sentAt: number | null): void
  configure(guards: ReplayGuards): EndpointName[]
  config(): ReplayGuards
}

/** Bodies without a timestamp field: only the duplicate check applies to them. */
const TIMESTAMPLESS: ReadonlySet<EndpointName> = new Set(['attendee-sync'])
const SWEEP_EVERY_MS = 10_000
/** Per endpoint. Past it the oldest body is forgotten first (its timestamp still has to pass). */
export const MAX_REMEMBERED = 500_000

/** The body's own `timestamp` (epoch ms) when it is a valid ISO 8601 date-time, else null. */
export function sentTimestamp(parsed: unknown): number | null {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null
  const ts = (parsed as { timestamp?: unknown }).timestamp
  if (typeof ts !== 'string' || !isoTimestamp.safeParse(ts).success) return null
  const ms = Date.parse(ts)
  return Number.isNaN(ms) ? null : ms
}

const ago = (ms: number): string =>
  ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`

export function createReplayGuard(initial: ReplayGuards = defaultReplayGuards()): ReplayGuard {
  let guards = { ...initial }
  /** Per endpoint: body digest (hex) → when it was first seen and until when it is remembered. */
  const seen = new Map<EndpointName, Map<string, { at: number; until: number }>>(ENDPOINTS.map((e) => [e, new Map()]))
  let nextSweep = 0

  function sweep(now: number): void {
    nextSweep = now + SWEEP_EVERY_MS
    for (const map of seen.values()) {
      for (const [k, v] of map) if (v.until <= now) map.delete(k)
    }
  }

  const remember = (endpoint: EndpointName, digest: Buffer, seenAt: number, sentAt: number | null): void => {
    const windowMs = guards[endpoint].window_seconds * 1000
    const map = seen.get(endpoint)!
    if (map.size >= MAX_REMEMBERED) map.delete(map.keys().next().value!)
    map.set(digest.toString('hex'), { at: seenAt, until: Math.max(seenAt, sentAt ?? seenAt) + windowMs })
  }

  return {
    check(endpoint, raw, sentAt, now): ReplayVerdict {
      const g: ReplayGuardConfig = guards[endpoint]
      if (!g.enabled) return { ok: true, digest: null }
      if (now >= nextSweep) sweep(now)
      const windowMs = g.window_seconds * 1000
      if (sentAt === null && !TIMESTAMPLESS.has(endpoint)) {
        return {
          ok: false,
          problem: 'no_timestamp',
          reason: 'replay guard: no timestamp in the body',
          detail: { timestamp: ['The replay guard is on for this endpoint: a timestamp is required'] },
        }
      }
      if (sentAt !== null && Math.abs(now - sentAt) > windowMs) {
        const skew = now - sentAt
        const when = skew > 0 ? `${ago(skew)} behind` : `${ago(-skew)} ahead of`
        return {
          ok: false,
          problem: 'stale',
          reason: `replay guard: timestamp ${new Date(sentAt).toISOString()} is ${when} the station clock (window ±${g.window_seconds} s)`,
          detail: { timestamp: [`Must be within ${g.window_seconds} seconds of the station's clock (${new Date(now).toISOString()})`] },
        }
      }
      const digest = createHash('sha256').update(raw).digest()
      const key = digest.toString('hex')
      const prior = seen.get(endpoint)!.get(key)
      if (prior && prior.until > now) {
        return {
          ok: false,
          problem: 'duplicate',
          reason: `replay guard: identical to a request received ${ago(now - prior.at)} ago`,
          detail: { body: [`Identical to a request received at ${new Date(prior.at).toISOString()}`] },
        }
      }
      remember(endpoint, digest, now, sentAt)
      return { ok: true, digest }
    },
    release(endpoint, digest) {
      seen.get(endpoint)!.delete(digest.toString('hex'))
    },
    remember,
    /** Applies a new configuration; returns the endpoints whose guard was just switched on. */
    configure(next) {
      const switchedOn = ENDPOINTS.filter((e) => next[e].enabled && !guards[e].enabled)
      for (const e of ENDPOINTS) if (!next[e].enabled) seen.get(e)!.clear()
      guards = { ...next }
      return switchedOn
    },
    config: () => ({ ...guards }),
  }
}
