// Bringing the station under test to a venue's state: 100k attendees through attendee-sync (timed
// end to end: the signed 12 MB request out, the results back) and gateways that own the readers.
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { simAttendee } from '../src/main/simulator/venue'
import { signatureHeaderValue, type SignatureScheme } from '../src/main/station/receiver/signature'
import { READERS, SECRET, round } from './load'

export interface Posted {
  status: number
  ms: number
  body: string
}

/** `signature`: the header's value, when signed beforehand. */
export function post(
  base: string,
  endpoint: string,
  body: Buffer,
  scheme: SignatureScheme = 'gxp',
  signature = signatureHeaderValue(scheme, SECRET, body),
): Promise<Posted> {
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/webhook/v1/${endpoint}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          [scheme === 'gxp' ? 'x-gxp-signature' : 'x-cvent-signature']: signature,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - start, body: Buffer.concat(chunks).toString('utf8') }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const NAMES = ['Ada', 'Bea', 'Carl', 'Dana'] as const

/** 100k rows (~12 MB); `variant` changes every first name so a second sync updates every row. */
export function syncBody(rows: number, variant = 0): Buffer {
  let i = 0
  const pick = (list: readonly string[]): string => list[i++ % list.length]!
  const attendees = Array.from({ length: rows }, (_, n) => {
    const a = simAttendee(n, pick)
    return variant ? { ...a, first_name: `${NAMES[n % NAMES.length]}${variant}` } : a
  })
  return Buffer.from(JSON.stringify({ project_slug: 'venue', team_slug: 'bench', sync_mode: 'upsert', attendees }))
}

export interface SyncFigures {
  rows: number
  mb: number
  create_ms: number
  update_ms: number
  create_results: unknown
  update_results: unknown
}

export async function seedAndTimeSync(base: string, rows = 100_000): Promise<SyncFigures> {
  const first = syncBody(rows)
  const created = await post(base, 'attendee-sync', first)
  if (created.status !== 200) throw new Error(`attendee-sync answered ${created.status}: ${created.body.slice(0, 300)}`)
  const second = syncBody(rows, 1)
  const updated = await post(base, 'attendee-sync', second)
  if (updated.status !== 200) throw new Error(`attendee-sync (update) answered ${updated.status}: ${updated.body.slice(0, 300)}`)
  return {
    rows,
    mb: round(first.length / 1024 / 1024, 1),
    create_ms: round(created.ms, 0),
    update_ms: round(updated.ms, 0),
    create_results: (JSON.parse(created.body) as { results: unknown }).results,
    update_results: (JSON.parse(updated.body) as { results: { errors: unknown[] } }).results,
  }
}

/** Ten gateways reporting five readers each: scans then also refresh a gateway, as in a real venue. */
export async function registerGateways(base: string): Promise<void> {
  for (let g = 0; g < READERS.length / 5; g++) {
    const readers = READERS.slice(g * 5, g * 5 + 5).map((reader_id) => ({ reader_id, status: 'connected' }))
    const body = Buffer.from(
      JSON.stringify({
        gateway_id: `GW-${String(g + 1).padStart(3, '0')}`,
        status: 'online',
        readers,
        timestamp: new Date().toISOString(),
      }),
    )
    const r = await post(base, 'mqtt-gateway-status', body)
    if (r.status !== 200) throw new Error(`mqtt-gateway-status answered ${r.status}: ${r.body.slice(0, 200)}`)
  }
}
