// What the simulator sent and what came back: counts per endpoint and status, access decisions
// by reason, latencies; as JSON and as text for a person.
import { ENDPOINTS, type EndpointName } from '../../shared/webhooks'
import { table } from '../cli/format'

/** Latencies in log-spaced buckets (2 % apart): bounded memory however long the run. */
export class LatencyHistogram {
  private static readonly RATIO = Math.log(1.02)
  private readonly buckets = new Map<number, number>()
  count = 0
  max = 0

  record(ms: number): void {
    const us = Math.max(1, ms * 1000)
    const i = Math.ceil(Math.log(us) / LatencyHistogram.RATIO)
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1)
    this.count++
    if (ms > this.max) this.max = ms
  }

  /** The p-th percentile (0–100) in ms, within 2 %; null when nothing was recorded. */
  percentile(p: number): number | null {
    if (this.count === 0) return null
    const rank = Math.max(1, Math.ceil((p / 100) * this.count))
    let seen = 0
    for (const i of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(i)!
      if (seen >= rank) return Math.min(this.max, Math.exp(i * LatencyHistogram.RATIO) / 1000)
    }
    return this.max
  }
}

export type ScanKind = 'valid' | 'unknown' | 'cancelled'
export const EXPECTED_REASON: Record<ScanKind, string> = { valid: 'granted', unknown: 'unknown_credential', cancelled: 'cancelled' }

export interface EndpointReport {
  sent: number
  /** HTTP status → count; "error" entries are in `errors`. */
  by_status: Record<string, number>
  /** Requests that got no HTTP answer, by cause (ECONNREFUSED, ETIMEDOUT…). */
  errors: Record<string, number>
  latency_ms: { p50: number | null; p99: number | null; max: number | null }
}

export interface SimulationReport {
  target: string
  started_at: string
  /** Seconds actually run, seeding included (shorter than asked when stopped with Ctrl-C). */
  duration_s: number
  /** When seeding was done and the gateways started; the timeline counts from here. */
  venue_opened_at: string | null
  /** Seconds the venue was open: scanning and reporting status, after seeding. */
  venue_open_s: number
  venue: { gateways: number; readers_per_gateway: number; attendees: number; cancelled: number; project: string }
  requests: Record<EndpointName, EndpointReport>
  totals: { sent: number; ok: number; refused: number; errors: number }
  seeding: { created: number; updated: number; skipped: number; errors: number } | null
  scans: {
    /** Scans due at the rate asked but never sent because too many were still waiting for answers. */
    dropped: number
    by_kind: Record<ScanKind, number>
    granted: number
    denied: number
    denied_by_reason: Record<string, number>
    /** Answers whose reason was not the one the simulator expected (a valid badge denied, …). */
    unexpected: Record<ScanKind, number>
    rate_per_s: number
  }
  /** What happened to the venue (seconds after it opened): readers dropping, gateways going silent. */
  timeline: Array<{ at_s: number; what: string }>
}

export class Tally {
  private readonly started = Date.now()
  private opened: number | null = null
  private readonly perEndpoint = new Map<
    EndpointName,
    { sent: number; status: Map<string, number>; errors: Map<string, number>; latency: LatencyHistogram }
  >(ENDPOINTS.map((e) => [e, { sent: 0, status: new Map(), errors: new Map(), latency: new LatencyHistogram() }]))
  dropped = 0
  readonly byKind: Record<ScanKind, number> = { valid: 0, unknown: 0, cancelled: 0 }
  readonly unexpected: Record<ScanKind, number> = { valid: 0, unknown: 0, cancelled: 0 }
  granted = 0
  readonly deniedBy = new Map<string, number>()
  seeding: SimulationReport['seeding'] = null
  readonly timeline: SimulationReport['timeline'] = []

  sent(endpoint: EndpointName): void {
    this.perEndpoint.get(endpoint)!.sent++
  }

  answered(endpoint: EndpointName, status: number, ms: number, error?: string): void {
    const e = this.perEndpoint.get(endpoint)!
    if (status === 0) {
      const key = error ?? 'error'
      e.errors.set(key, (e.errors.get(key) ?? 0) + 1)
      return
    }
    e.status.set(String(status), (e.status.get(String(status)) ?? 0) + 1)
    e.latency.record(ms)
  }

  decided(kind: ScanKind, granted: boolean, reason: string): void {
    if (granted) this.granted++
    else this.deniedBy.set(reason, (this.deniedBy.get(reason) ?? 0) + 1)
    if (reason !== EXPECTED_REASON[kind]) this.unexpected[kind]++
  }

  open(now = Date.now()): void {
    this.opened = now
  }

  note(what: string, now = Date.now()): void {
    this.timeline.push({ at_s: Math.round((now - (this.opened ?? this.started)) / 100) / 10, what })
  }

  report(meta: { target: string; venue: SimulationReport['venue']; durationMs: number }): SimulationReport {
    const venueMs = this.opened === null ? 0 : Date.now() - this.opened
    const requests = {} as Record<EndpointName, EndpointReport>
    const totals = { sent: 0, ok: 0, refused: 0, errors: 0 }
    for (const [endpoint, e] of this.perEndpoint) {
      const by_status = Object.fromEntries([...e.status].sort(([a], [b]) => a.localeCompare(b)))
      const errors = Object.fromEntries(e.errors)
      const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100)
      requests[endpoint] = {
        sent: e.sent,
        by_status,
        errors,
        latency_ms: {
          p50: round(e.latency.percentile(50)),
          p99: round(e.latency.percentile(99)),
          max: e.latency.count ? round(e.latency.max) : null,
        },
      }
      totals.sent += e.sent
      for (const [status, n] of e.status) {
        if (status.startsWith('2')) totals.ok += n
        else totals.refused += n
      }
      for (const n of e.errors.values()) totals.errors += n
    }
    const scans = this.byKind.valid + this.byKind.unknown + this.byKind.cancelled
    const denied = [...this.deniedBy.values()].reduce((a, b) => a + b, 0)
    return {
      target: meta.target,
      started_at: new Date(this.started).toISOString(),
      duration_s: Math.round(meta.durationMs / 100) / 10,
      venue_opened_at: this.opened === null ? null : new Date(this.opened).toISOString(),
      venue_open_s: Math.round(venueMs / 100) / 10,
      venue: meta.venue,
      requests,
      totals,
      seeding: this.seeding,
      scans: {
        dropped: this.dropped,
        by_kind: { ...this.byKind },
        granted: this.granted,
        denied,
        denied_by_reason: Object.fromEntries([...this.deniedBy].sort(([a], [b]) => a.localeCompare(b))),
        unexpected: { ...this.unexpected },
        rate_per_s: venueMs > 0 ? Math.round((scans / venueMs) * 10_000) / 10 : 0,
      },
      timeline: [...this.timeline],
    }
  }
}

const ms = (v: number | null): string => (v === null ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0))

/** The report for a person: one table of requests, then decisions and the venue's timeline. */
export function formatReport(r: SimulationReport): string {
  const statuses = [...new Set(ENDPOINTS.flatMap((e) => Object.keys(r.requests[e].by_status)))].sort()
  const rows = ENDPOINTS.map((e) => {
    const q = r.requests[e]
    const errors = Object.values(q.errors).reduce((a, b) => a + b, 0)
    return [
      e,
      String(q.sent),
      ...statuses.map((s) => String(q.by_status[s] ?? 0)),
      String(errors),
      ms(q.latency_ms.p50),
      ms(q.latency_ms.p99),
    ]
  })
  const errorCauses = ENDPOINTS.flatMap((e) => Object.entries(r.requests[e].errors).map(([cause, n]) => `${e}: ${n} × ${cause}`))
  const s = r.scans
  const reasons = Object.entries(s.denied_by_reason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ')
  const unexpected = (Object.entries(s.unexpected) as Array<[ScanKind, number]>).filter(([, n]) => n > 0)
  const lines = [
    `simulated ${r.venue.gateways} gateway(s) × ${r.venue.readers_per_gateway} reader(s), ${r.venue.attendees} attendees ` +
      `(${r.venue.cancelled} cancelled via Cvent) in ${r.venue.project} → ${r.target}; open ${r.venue_open_s} s after seeding (${r.duration_s} s in all)`,
    '',
    table(['endpoint', 'sent', ...statuses, 'no answer', 'p50 ms', 'p99 ms'], rows),
    '',
    `requests: ${r.totals.sent} sent, ${r.totals.ok} 2xx, ${r.totals.refused} refused (non-2xx), ${r.totals.errors} without an answer`,
  ]
  if (errorCauses.length) lines.push(`no answer: ${errorCauses.join('; ')}`)
  if (r.seeding)
    lines.push(
      `attendee-sync: ${r.seeding.created} created, ${r.seeding.updated} updated, ${r.seeding.skipped} skipped, ${r.seeding.errors} errors`,
    )
  lines.push(
    `scans: ${s.by_kind.valid + s.by_kind.unknown + s.by_kind.cancelled} sent (${s.rate_per_s}/s): ${s.by_kind.valid} valid, ${s.by_kind.unknown} unknown, ${s.by_kind.cancelled} cancelled badges` +
      (s.dropped ? `; ${s.dropped} dropped (the target did not keep up)` : ''),
    `decisions: ${s.granted} granted, ${s.denied} denied${reasons ? ` (${reasons})` : ''}`,
  )
  if (unexpected.length) lines.push(`unexpected decisions: ${unexpected.map(([k, n]) => `${n} ${k}`).join(', ')}`)
  if (r.timeline.length) {
    lines.push('', 'timeline:')
    for (const t of r.timeline) lines.push(`  ${t.at_s.toFixed(1).padStart(6)} s  ${t.what}`)
  }
  return lines.join('\n')
}
