// Refusals cost almost nothing to store. The first few refusals from a source in a minute are
// logged one by one (the receiver has already cut them down: at most 1 KiB of body plus a SHA-256
// of all of it, a bounded set of headers); the rest of that minute's refusals from the source are
// folded into one entry per status and endpoint, whose count is rewritten once a second. Every
// map here is bounded, however many addresses a flood comes from.
import { endpointFromPath } from '../../../shared/webhooks'
import type { WebhookLogRecord } from '../../../shared/log'
import type { CommitQueue } from '../store/commit-queue'
import type { NewLogEntry, WebhookLogStore } from '../store/webhook-log'

export interface RefusalLogOptions {
  /** Refusals logged one by one per source per minute; beyond it they are aggregated. */
  perSourcePerMinute?: number
  /** Refusals logged one by one per minute, all sources together. */
  singlesPerMinute?: number
  /** Aggregated entries per minute; past it, the sources left share one "(many sources)" entry per status. */
  aggregatesPerMinute?: number
  /** Sources counted per minute; past it, new sources go straight to the shared entries. */
  sourcesPerMinute?: number
  flushMs?: number
}

export const REFUSALS_LOGGED_PER_SOURCE_PER_MINUTE = 20
export const MANY_SOURCES = '(many sources)'
export const OTHER_PATHS = '(other paths)'
/** The receiver's endpoint name for bytes that were not HTTP. */
export const MALFORMED = '(malformed request)'

interface Aggregate {
  id: number | null
  count: number
  written: number
  last: number
}

export type RefusalLog = ReturnType<typeof createRefusalLog>

export function createRefusalLog(deps: {
  queue: CommitQueue
  log: WebhookLogStore
  /** Told of every entry written or rewritten (the live hub). */
  onLogged?: (record: WebhookLogRecord) => void
  options?: RefusalLogOptions
}) {
  const { queue, log } = deps
  const perSource = deps.options?.perSourcePerMinute ?? REFUSALS_LOGGED_PER_SOURCE_PER_MINUTE
  const singlesLimit = deps.options?.singlesPerMinute ?? 2000
  const aggregatesLimit = deps.options?.aggregatesPerMinute ?? 1000
  const sourcesLimit = deps.options?.sourcesPerMinute ?? 10_000
  const notify = (record: WebhookLogRecord | undefined): void => {
    if (record) deps.onLogged?.(record)
  }

  let minute = -1
  let seen = new Map<string, number>()
  let singles = 0
  let aggregates = new Map<string, Aggregate>()
  /** Aggregates whose count moved since it was last written (they outlive their minute until then). */
  const dirty = new Set<Aggregate>()
  /** Disk space is low: nothing is logged one by one. */
  let frugal = false

  function single(entry: NewLogEntry): void {
    queue.enqueue(() => log.add(entry)).then(notify, () => undefined)
  }

  function aggregate(entry: NewLogEntry): void {
    // Paths are the client's to invent: only the webhook ones (and the malformed marker) get their own entry.
    const known = endpointFromPath(entry.endpoint) !== undefined || entry.endpoint === MALFORMED
    let source = entry.sourceIp
    let key = `${source}|${entry.status}|${known ? entry.endpoint : '*'}`
    if (!aggregates.has(key) && (aggregates.size >= aggregatesLimit || !seen.has(source))) {
      source = MANY_SOURCES
      key = `*|${entry.status}|${known ? entry.endpoint : '*'}`
    }
    const agg = aggregates.get(key)
    if (agg) {
      agg.count++
      agg.last = entry.receivedAt
      if (agg.id !== null) dirty.add(agg)
      return
    }
    const fresh: Aggregate = { id: null, count: 1, written: 1, last: entry.receivedAt }
    aggregates.set(key, fresh)
    const first: NewLogEntry = {
      ...entry,
      endpoint: known ? entry.endpoint : OTHER_PATHS,
      sourceIp: source,
      body: null,
      bodySize: 0,
      bodySha256: null,
      count: 1,
      lastReceivedAt: entry.receivedAt,
    }
    queue
      .enqueue(() => log.add(first))
      .then(
        (record) => {
          fresh.id = Number(record.id.slice(4))
          notify(record)
          if (fresh.count > fresh.written) dirty.add(fresh)
        },
        // Not written: this minute's later refusals of the key start a new aggregate.
        () => aggregates.get(key) === fresh && aggregates.delete(key),
      )
  }

  function flush(): void {
    if (dirty.size === 0) return
    const updates = [...dirty].map((agg) => ({ agg, id: agg.id!, count: agg.count, last: agg.last }))
    dirty.clear()
    queue
      .enqueue(() => updates.map((u) => log.setCount(u.id, u.count, u.last)))
      .then(
        (records) => {
          updates.forEach((u) => (u.agg.written = Math.max(u.agg.written, u.count)))
          records.forEach(notify)
        },
        () => updates.forEach((u) => dirty.add(u.agg)),
      )
  }

  const timer = setInterval(flush, deps.options?.flushMs ?? 1000)
  timer.unref()

  const rollOver = (receivedAt: number): void => {
    const m = Math.floor(receivedAt / 60_000)
    if (m === minute) return
    minute = m
    seen = new Map()
    singles = 0
    aggregates = new Map()
  }

  return {
    /** Whether the next refusal from `sourceIp` gets its own entry (else its body need not be kept at all). */
    logsSingly(sourceIp: string, receivedAt: number): boolean {
      rollOver(receivedAt)
      const n = seen.get(sourceIp)
      return !frugal && singles < singlesLimit && (n === undefined ? seen.size < sourcesLimit : n < perSource)
    },
    /** Logs a refused request's entry (already cut down), or counts it into its source's aggregate. */
    record(entry: NewLogEntry): void {
      rollOver(entry.receivedAt)
      const n = seen.get(entry.sourceIp)
      if (n === undefined && seen.size >= sourcesLimit) {
        aggregate(entry)
        return
      }
      seen.set(entry.sourceIp, (n ?? 0) + 1)
      if (!frugal && (n ?? 0) < perSource && singles < singlesLimit) {
        singles++
        single({ ...entry, refused: true })
        return
      }
      aggregate({ ...entry, refused: true })
    },
    /** Low disk space: aggregate every refusal (true) or go back to logging the first few (false). */
    setFrugal(on: boolean): void {
      frugal = on
    },
    flush,
    close(): void {
      clearInterval(timer)
      flush()
    },
  }
}
