// The simulator against a real station on loopback: its signatures are accepted, a wrong secret
// is refused everywhere, and its report agrees with what the station logged and decided.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from '../station/station'
import { eventually } from '../test-support/station'
import { ENDPOINTS, endpointPath, type EndpointName } from '../../shared/webhooks'
import { runSimulation, type SimulationOptions } from './run'
import { LatencyHistogram } from './report'
import { resolveSecrets } from '../cli/simulate-command'

let dir: string
let station: Station
let target: string
let secrets: Record<EndpointName, string>

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-sim-'))
  station = await createStation({ dataDir: join(dir, 'station'), env: {} })
  const bound = await station.listen('127.0.0.1', 0)
  target = `http://127.0.0.1:${bound.port}`
  secrets = Object.fromEntries(ENDPOINTS.map((e) => [e, station.secrets.info(e).secret])) as Record<EndpointName, string>
})

afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const small = (over: Partial<SimulationOptions> = {}): SimulationOptions => ({
  target,
  secrets,
  gateways: 2,
  readersPerGateway: 2,
  rate: 60,
  durationSeconds: 1.5,
  attendees: 80,
  seed: 42,
  ...over,
})

/** Log entries per endpoint and status, once the station's queued log writes are committed. */
async function logged(): Promise<Map<string, number>> {
  await station.queue.enqueue(() => undefined)
  const counts = new Map<string, number>()
  for (const e of station.log.query({ limit: 10_000 }))
    // (A flood of refusals is one entry with its count.)
    counts.set(`${e.endpoint} ${e.status}`, (counts.get(`${e.endpoint} ${e.status}`) ?? 0) + e.count)
  return counts
}

describe('simulator', () => {
  it('with zones, its entries and exits move occupancy both ways', async () => {
    const report = await runSimulation(
      small({
        gateways: 2,
        readersPerGateway: 4,
        durationSeconds: 3,
        // What `gatehouse simulate --zones` does against the station's store.
        onVenueOpen: async (venue) => {
          for (const g of venue.gateways) {
            for (const [i, r] of g.readers.entries()) await station.venue.placeReader(r, { zone: g.zone, direction: g.directions[i]! })
          }
        },
      }),
    )
    expect(report.totals.refused).toBe(0)
    const moves = station.db.prepare('SELECT movement, count(*) AS n FROM decisions WHERE movement IS NOT NULL GROUP BY movement').all()
    expect(moves).toEqual([
      { movement: 'in', n: expect.any(Number) },
      { movement: 'out', n: expect.any(Number) },
    ])
    expect(station.venue.zones().map((z) => [z.name, z.readers.length])).toEqual([
      ['Expo', 4],
      ['Hall', 4],
    ])
  })

  it('signs every request so the station accepts it, and its report matches the station', async () => {
    const report = await runSimulation(small())

    expect(report.totals.refused).toBe(0)
    expect(report.totals.errors).toBe(0)
    expect(report.totals.ok).toBe(report.totals.sent)
    expect(report.requests['access-event'].sent).toBeGreaterThan(40)
    expect(report.seeding).toEqual({ created: 80, updated: 0, skipped: 0, errors: 0 })

    // Every request the simulator counts is a log entry at the station with the same status.
    const counts = await logged()
    const expected = new Map<string, number>()
    for (const e of ENDPOINTS) {
      for (const [status, n] of Object.entries(report.requests[e].by_status)) expected.set(`${endpointPath(e)} ${status}`, n)
    }
    expect(counts).toEqual(expected)

    // Decisions: the simulator's tally is the station's, and each kind of badge got the answer it should.
    const decided = station.access.decisions.recent(0, 10_000)
    expect(report.scans.granted).toBe(decided.filter((d) => d.access_granted).length)
    expect(report.scans.denied).toBe(decided.filter((d) => !d.access_granted).length)
    expect(report.scans.denied_by_reason.cancelled ?? 0).toBe(decided.filter((d) => d.reason === 'cancelled').length)
    expect(report.scans.unexpected).toEqual({ valid: 0, unknown: 0, cancelled: 0 })
    expect(report.scans.by_kind.cancelled).toBeGreaterThan(0)

    // The reader that dropped came back; the silent gateway's readers stopped scanning when it went quiet.
    expect(report.timeline.map((t) => t.what)).toEqual([
      'reader GW-001-R02 disconnected (reported by GW-001)',
      'gateway GW-002 went silent (no status, no scans)',
      'reader GW-001-R02 connected again',
    ])
    const silentAt = Date.parse(report.venue_opened_at!) + report.timeline[1]!.at_s * 1000
    const lateFromSilent = decided.filter((d) => d.reader_id.startsWith('GW-002') && Date.parse(d.decided_at) > silentAt + 500)
    expect(lateFromSilent).toEqual([])
    const { gateways } = station.access.gateways.list()
    expect(gateways.find((g) => g.gateway_id === 'GW-001')!.readers.map((r) => r.status)).toEqual(['connected', 'connected'])
    expect(report.requests['mqtt-gateway-status'].sent).toBe(4) // 2 at start + GW-001 reporting the drop and the return
  })

  it('reports every request as a 401 when it signs with the wrong secret', async () => {
    const wrong = Object.fromEntries(ENDPOINTS.map((e) => [e, 'not-the-secret'])) as Record<EndpointName, string>
    const report = await runSimulation(small({ secrets: wrong, durationSeconds: 0.6 }))

    expect(report.totals.sent).toBeGreaterThan(10)
    for (const e of ENDPOINTS) {
      expect(Object.keys(report.requests[e].by_status), e).toEqual(report.requests[e].sent ? ['401'] : [])
    }
    expect(report.totals.refused).toBe(report.totals.sent)
    expect(report.scans.granted + report.scans.denied).toBe(0)
    expect(report.seeding).toEqual({ created: 0, updated: 0, skipped: 0, errors: 0 })
    // Past 20 refusals a minute from this source they are counted into one entry, its count written once a second.
    const counts = await eventually(async () => {
      const c = await logged()
      return [...c.values()].reduce((a, b) => a + b, 0) === report.totals.sent && c
    })
    expect([...counts.keys()].every((k) => k.endsWith(' 401'))).toBe(true)
    expect(station.access.attendees.counts().n).toBe(0)
  })

  it('takes secrets per source, for all sources, or from the station data directory', () => {
    const mixed = resolveSecrets(['cvent=c-secret', 'everyone'], null)
    expect(mixed.secrets).toEqual({
      'mqtt-gateway-status': 'everyone',
      'access-event': 'everyone',
      cvent: 'c-secret',
      'attendee-sync': 'everyone',
    })
    expect(resolveSecrets([], join(dir, 'station'), {}).secrets).toEqual(secrets)
    expect(() => resolveSecrets(['cvent=only-this'], join(dir, 'nowhere'))).toThrow(/no secret for mqtt-gateway-status/)
  })

  it('keeps percentiles within 2 % in bounded memory', () => {
    const h = new LatencyHistogram()
    for (let i = 1; i <= 10_000; i++) h.record(i / 100) // 0.01 … 100 ms
    expect(h.percentile(50)!).toBeGreaterThan(50 * 0.98)
    expect(h.percentile(50)!).toBeLessThan(50 * 1.02)
    expect(h.percentile(99)!).toBeGreaterThan(99 * 0.98)
    expect(h.percentile(100)).toBe(100)
  })
})
