// Test helper for the access-control tests: a real station on a temp-dir SQLite file, listening on
// a real loopback socket and driven through it with signed requests (keep-alive, like a gateway),
// and restartable on the same directory. A request "from" a LAN address loopback cannot have
// (198.51.100.9) goes through app.inject instead, which sets the TCP peer it reports.
import { rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createStation, type Station, type StationOptions } from '../station/station'
import { signatureHeaderValue } from '../station/receiver/signature'
import { tempDir } from './station'
import type { EndpointName } from '../../shared/webhooks'
import type { StationEvents } from '../../shared/events'

export interface Sent {
  status: number
  json: Record<string, any>
}

export interface AccessStation {
  readonly station: Station
  readonly dataDir: string
  /** Every hub event since the station (re)started, in order. */
  readonly events: Array<{ name: keyof StationEvents; payload: unknown }>
  /** Posts `payload` to the endpoint, signed with the station's own secret for it. */
  send(endpoint: EndpointName, payload: unknown, options?: { remoteAddress?: string; signature?: string }): Promise<Sent>
  /** Posts `body` byte for byte (duplicate keys, odd spacing), signed like `send`. */
  sendRaw(endpoint: EndpointName, body: string, options?: { remoteAddress?: string; signature?: string }): Promise<Sent>
  /** Hub payloads of one event name. */
  seen<K extends keyof StationEvents>(name: K): Array<StationEvents[K]>
  /** Closes the station and opens a new one on the same data directory. */
  restart(): Promise<void>
  close(): Promise<void>
}

export async function openAccessStation(options: Partial<StationOptions> = {}): Promise<AccessStation> {
  const dataDir = options.dataDir ?? tempDir('gatehouse-access-')
  let url = ''
  const agent = new Agent({ keepAlive: true, maxSockets: 16 })
  const open = async (): Promise<Station> => {
    const s = await createStation({
      env: {},
      // The tests call sweep() themselves, with the clock they need.
      sweepIntervalMs: 3_600_000,
      ...options,
      config: { rateLimitPerMinute: 0, ...options.config },
      dataDir,
    })
    await s.storeCheck
    s.hub.onAny((name, payload) => events.push({ name, payload }))
    url = `http://127.0.0.1:${(await s.listen('127.0.0.1', 0)).port}`
    return s
  }
  const events: AccessStation['events'] = []
  let station = await open()
  async function sendRaw(
    endpoint: EndpointName,
    body: string,
    { remoteAddress, signature }: { remoteAddress?: string; signature?: string } = {},
  ): Promise<Sent> {
    const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
    const headers = {
      'content-type': 'application/json',
      [scheme === 'cvent' ? 'x-cvent-signature' : 'x-gxp-signature']:
        signature ?? signatureHeaderValue(scheme, station.secrets.info(endpoint).secret, body),
    }
    if (remoteAddress !== undefined) {
      const res = await station.receiver.inject({ method: 'POST', url: `/webhook/v1/${endpoint}`, remoteAddress, headers, payload: body })
      return { status: res.statusCode, json: res.json() }
    }
    return new Promise<Sent>((resolve, reject) => {
      const req = request(
        `${url}/webhook/v1/${endpoint}`,
        { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }))
          res.on('error', reject)
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }
  return {
    get station() {
      return station
    },
    dataDir,
    events,
    send: (endpoint, payload, options) => sendRaw(endpoint, JSON.stringify(payload), options),
    sendRaw,
    seen: (name) => events.filter((e) => e.name === name).map((e) => e.payload) as never,
    async restart() {
      await station.close()
      events.length = 0
      station = await open()
    },
    async close() {
      agent.destroy()
      await station.close()
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** An ISO timestamp `seconds` after a fixed instant: event times that tests can order. */
export const at = (seconds: number): string => new Date(Date.UTC(2026, 0, 15, 9, 0, 0) + seconds * 1000).toISOString()

export const syncBody = (sync_mode: string, attendees: unknown[], project_slug = 'expo', team_slug = 'venue') => ({
  team_slug,
  project_slug,
  sync_mode,
  attendees,
})
