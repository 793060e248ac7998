// The simulation: seed attendees, cancel a few through Cvent, then behave like gateways — status
// every 30 s, scans at a steady rate, one reader that drops and comes back, one gateway that falls
// silent — until the duration is up or the caller aborts.
import type { Agent } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { EndpointName } from '../../shared/webhooks'
import { buildVenue, seededRandom, type SimGateway, type Venue } from './venue'
import type { Direction } from '../../shared/venue'
import { createSender, type Answer } from './client'
import { cancelSome, seedAttendees } from './seed'
import { Tally, type ScanKind, type SimulationReport } from './report'

export interface SimulationOptions {
  /** Base URL of the station, e.g. http://127.0.0.1:8787. */
  target: string
  secrets: Record<EndpointName, string>
  gateways: number
  readersPerGateway: number
  /** Scans per second across the venue. */
  rate: number
  /** 0 = until `signal` aborts. */
  durationSeconds: number
  attendees: number
  seed?: number
  statusIntervalMs?: number
  /** Scans waiting for an answer beyond this are dropped (and counted) rather than queued. */
  maxInFlight?: number
  signal?: AbortSignal
  /** Called every `progressEveryMs` with the report so far. */
  onProgress?: (report: SimulationReport) => void
  progressEveryMs?: number
  /** Called once the gateways' first reports are answered (their readers exist): e.g. to put them in zones. */
  onVenueOpen?: (venue: Venue) => Promise<void>
}

export const SIM_DEFAULTS = { gateways: 3, readersPerGateway: 4, rate: 5, durationSeconds: 30, attendees: 500 } as const
const TICK_MS = 20

/** When the venue's incidents happen, in ms from the start (null: not in this run). */
export function incidentTimes(
  durationMs: number,
  gateways: number,
): { readerDown: number; readerBack: number; silent: number | null; silentBack: number | null } {
  // A bounded run fits every incident inside it; an endless one (the demo) gives the station time
  // to notice the silence (its gateway timeout) and then to see the gateway return.
  const bounded = durationMs > 0
  return {
    readerDown: bounded ? durationMs * 0.25 : 10_000,
    readerBack: bounded ? durationMs * 0.6 : 40_000,
    silent: gateways < 2 ? null : bounded ? durationMs * 0.4 : 20_000,
    silentBack: gateways < 2 || bounded ? null : 200_000,
  }
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0)
  const venue = buildVenue({ gateways: options.gateways, readersPerGateway: options.readersPerGateway, attendees: options.attendees, seed })
  const random = seededRandom(seed ^ 0x5eed)
  const sender = createSender(options.target, options.secrets)
  const tally = new Tally()
  const started = Date.now()
  const durationMs = options.durationSeconds * 1000
  const crm = sender.agent(4)
  const agents = new Map<string, Agent>(venue.gateways.map((g) => [g.gateway_id, sender.agent(16)]))
  /** Requests still waiting for their answer (and its bookkeeping), so the end can wait for them. */
  const inFlight = new Set<Promise<unknown>>()
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p)
    const forget = (): boolean => inFlight.delete(p)
    p.then(forget, forget)
    return p
  }

  const send = (endpoint: EndpointName, payload: unknown, agent: Agent, timeoutMs?: number): Promise<Answer> => {
    tally.sent(endpoint)
    return track(
      sender.post(endpoint, payload, agent, timeoutMs).then((answer) => {
        tally.answered(endpoint, answer.status, answer.ms, answer.error)
        return answer
      }),
    )
  }
  const json = (a: Answer): Record<string, unknown> | null => {
    try {
      return JSON.parse(a.body.toString('utf8')) as Record<string, unknown>
    } catch {
      return null
    }
  }

  const aborted = (): boolean => options.signal?.aborted === true
  const elapsed = (): number => Date.now() - started
  const report = (): SimulationReport =>
    tally.report({
      target: options.target,
      durationMs: elapsed(),
      venue: {
        gateways: venue.gateways.length,
        readers_per_gateway: options.readersPerGateway,
        attendees: venue.attendees.length,
        cancelled: venue.cancelled.length,
        project: `${venue.team_slug}/${venue.project_slug}`,
      },
    })

  try {
    await seedAttendees(venue, send, json, tally, crm)
    await cancelSome(venue, send, crm, seed, aborted)
    if (!aborted()) await runVenue()
  } finally {
    // Bounded: answers still on the way get a few seconds, then the connections are closed.
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 5_000).unref())])
    sender.close()
  }
  return report()

  async function runVenue(): Promise<void> {
    const incidents = incidentTimes(durationMs, venue.gateways.length)
    const dropping = venue.gateways[0]!
    const droppedReader = dropping.readers[Math.min(1, dropping.readers.length - 1)]
    const silentGateway = incidents.silent === null ? null : venue.gateways.at(-1)!
    const down = new Set<string>()
    let silent: string | null = null
    const lastScan = new Map<string, number>()
    /** Scans sent and not answered yet. */
    let waiting = 0
    const cancelledSet = new Set(venue.cancelled)
    // Who the simulator believes is inside each zone: exits scan them, so occupancy moves both ways.
    const inside = new Map<string, Set<string>>(venue.gateways.map((g) => [g.zone, new Set()]))
    const placeOf = new Map<string, { zone: string; direction: Direction }>(
      venue.gateways.flatMap((g) => g.readers.map((r, i) => [r, { zone: g.zone, direction: g.directions[i]! }] as const)),
    )
    const validIdx = venue.attendees.map((_, i) => i).filter((i) => !cancelledSet.has(i))

    const statusOf = (g: SimGateway): void => {
      if (g.gateway_id === silent) return
      const now = new Date().toISOString()
      const readers = g.readers.map((reader_id) => {
        const last = lastScan.get(reader_id)
        return {
          reader_id,
          status: down.has(reader_id) ? 'disconnected' : 'connected',
          last_scan: last ? new Date(last).toISOString() : null,
        }
      })
      void send('mqtt-gateway-status', { gateway_id: g.gateway_id, status: 'online', readers, timestamp: now }, agents.get(g.gateway_id)!)
    }

    const scan = (): void => {
      const live = venue.gateways
        .filter((g) => g.gateway_id !== silent)
        .flatMap((g) => g.readers.filter((r) => !down.has(r)).map((r) => ({ g, r })))
      if (live.length === 0) return
      const { g, r } = live[Math.floor(random() * live.length)]!
      const place = placeOf.get(r)!
      const here = inside.get(place.zone)!
      const roll = random()
      const kind: ScanKind =
        roll < 0.85 && validIdx.length > 0 ? 'valid' : roll < 0.93 && venue.cancelled.length > 0 ? 'cancelled' : 'unknown'
      // At an exit, mostly someone who went in; at an entry, anyone.
      const leaving = place.direction !== 'entry' && here.size > 0 && kind === 'valid' && random() < 0.8
      const credential = leaving
        ? [...here][Math.floor(random() * here.size)]!
        : kind === 'valid'
          ? venue.attendees[validIdx[Math.floor(random() * validIdx.length)]!]!.credential_value!
          : kind === 'cancelled'
            ? venue.attendees[venue.cancelled[Math.floor(random() * venue.cancelled.length)]!]!.credential_value!
            : `UNKNOWN-${Math.floor(random() * 0xffffffff)
                .toString(16)
                .padStart(8, '0')}`
      // A gateway retrying a scan sends the same (reader, credential, timestamp): never collide by accident.
      const at = Math.max(Date.now(), (lastScan.get(r) ?? 0) + 1)
      lastScan.set(r, at)
      tally.byKind[kind]++
      const scanType = ['qr', 'barcode', 'rfid'][Math.floor(random() * 3)]!
      const scanned = send(
        'access-event',
        { reader_id: r, credential_value: credential, scan_type: scanType, timestamp: new Date(at).toISOString() },
        agents.get(g.gateway_id)!,
      )
      waiting++
      void track(
        scanned.then((a) => {
          waiting--
          const body = a.status === 200 ? json(a) : null
          if (body?.access_granted === true) {
            const goesOut = place.direction === 'exit' || (place.direction === 'both' && here.has(credential))
            if (goesOut) here.delete(credential)
            else {
              for (const set of inside.values()) set.delete(credential)
              here.add(credential)
            }
          }
          if (body && typeof body.access_granted === 'boolean')
            tally.decided(
              kind,
              body.access_granted,
              typeof body.reason === 'string' ? body.reason : body.access_granted ? 'granted' : 'denied',
            )
        }),
      )
    }

    // The duration and the incidents count from the opening, after seeding.
    const opened = Date.now()
    tally.open(opened)
    const sinceOpening = (): number => Date.now() - opened
    for (const g of venue.gateways) statusOf(g)
    if (options.onVenueOpen) {
      await Promise.allSettled([...inFlight])
      await options.onVenueOpen(venue)
    }
    const statusTimer = setInterval(() => venue.gateways.forEach(statusOf), options.statusIntervalMs ?? 30_000)
    let scansSent = 0
    let nextProgress = options.progressEveryMs ?? 10_000
    const maxInFlight = options.maxInFlight ?? 256
    try {
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          const t = sinceOpening()
          if (aborted() || (durationMs > 0 && t >= durationMs)) {
            clearInterval(tick)
            resolve()
            return
          }
          if (droppedReader && !down.has(droppedReader) && t >= incidents.readerDown && t < incidents.readerBack) {
            down.add(droppedReader)
            tally.note(`reader ${droppedReader} disconnected (reported by ${dropping.gateway_id})`)
            statusOf(dropping)
          } else if (droppedReader && down.has(droppedReader) && t >= incidents.readerBack) {
            down.delete(droppedReader)
            tally.note(`reader ${droppedReader} connected again`)
            statusOf(dropping)
          }
          if (silentGateway && silent === null && t >= incidents.silent! && (incidents.silentBack === null || t < incidents.silentBack)) {
            silent = silentGateway.gateway_id
            tally.note(`gateway ${silent} went silent (no status, no scans)`)
          } else if (silentGateway && silent !== null && incidents.silentBack !== null && t >= incidents.silentBack) {
            silent = null
            tally.note(`gateway ${silentGateway.gateway_id} is back`)
            statusOf(silentGateway)
          }
          // Scans due so far at the rate asked; a backlog beyond a second's worth is dropped, not burst.
          let due = Math.floor((t / 1000) * options.rate) - scansSent - tally.dropped
          if (due > Math.max(1, options.rate)) {
            tally.dropped += due - Math.ceil(options.rate)
            due = Math.ceil(options.rate)
          }
          for (; due > 0; due--) {
            if (waiting >= maxInFlight) {
              tally.dropped += due
              break
            }
            scan()
            scansSent++
          }
          if (options.onProgress && t >= nextProgress) {
            nextProgress += options.progressEveryMs ?? 10_000
            options.onProgress(report())
          }
        }, TICK_MS)
      })
    } finally {
      clearInterval(statusTimer)
    }
  }
}
