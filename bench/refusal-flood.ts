// Store growth under refusal floods: one client sends, as fast as the station answers, requests
// that are refused — a wrong signature over an 8 KiB body (401), a source the allowlist refuses
// (403), invented paths (404) — for a fixed time each, and the bytes of gatehouse.db + its -wal are
// measured before and after. Refusals are stored small and aggregated: the target is ≤ 1 MB/s. The
// refusal budget is off here, so every request gets its own status (401/403/404, not 429) and
// takes the full logging path: the worst case for the store.
import autocannon from 'autocannon'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { openCore, DB_FILE } from '../src/main/station/station'
import { round, startServer, stopServer, SECRET } from './load'
import type { StationReady } from './servers/station'

export interface FloodFigures {
  kind: '401' | '403' | '404'
  seconds: number
  requests: number
  rps: number
  statuses: Record<string, number>
  grew_bytes: number
  mb_per_s: number
}

const FLOOD = { connections: 8, seconds: 6 }

const storeBytes = (dataDir: string): number =>
  [DB_FILE, `${DB_FILE}-wal`].reduce((n, f) => n + (statSync(join(dataDir, f), { throwIfNoEntry: false })?.size ?? 0), 0)

function flood(url: string, path: string, body: Buffer, headers: Record<string, string>, unique: boolean): Promise<autocannon.Result> {
  let n = 0
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: FLOOD.connections,
        duration: FLOOD.seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => ({
              ...req,
              path: unique ? `${path}-${n++}` : path,
              body,
              headers: { ...req.headers, 'content-type': 'application/json', ...headers },
            }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    )
  })
}

export async function benchRefusalFloods(): Promise<FloodFigures[]> {
  const { child, ready } = await startServer<StationReady>('station.ts', {
    GATEHOUSE_SECRET: SECRET,
    GATEHOUSE_REFUSAL_RATE_LIMIT_PER_MINUTE: '0',
  })
  const url = `http://127.0.0.1:${ready.port}`
  try {
    // 403: the allowlist of access-event admits another address only (set as the CLI does; the station reads it back).
    const cli = openCore({ dataDir: ready.dataDir, env: {} })
    try {
      await cli.queue.enqueue(() => cli.allowlist.replace('access-event', [{ entry: '192.0.2.10' }]))
    } finally {
      cli.close()
    }
    await new Promise((r) => setTimeout(r, 1500))
    const body = Buffer.from(JSON.stringify({ reader_id: 'R-1', credential_value: 'C-1', pad: 'x'.repeat(8 * 1024) }))
    const runs: Array<[FloodFigures['kind'], string, Record<string, string>, boolean]> = [
      ['401', '/webhook/v1/mqtt-gateway-status', { 'x-gxp-signature': `sha256=${'0'.repeat(64)}` }, false],
      ['403', '/webhook/v1/access-event', {}, false],
      ['404', '/webhook/v1/probe', {}, true],
    ]
    const out: FloodFigures[] = []
    for (const [kind, path, headers, unique] of runs) {
      // Let the previous flood's last writes land first.
      await new Promise((r) => setTimeout(r, 1500))
      const before = storeBytes(ready.dataDir)
      const result = await flood(url, path, body, headers, unique)
      await new Promise((r) => setTimeout(r, 1500))
      const grew = storeBytes(ready.dataDir) - before
      const statuses: Record<string, number> = {}
      for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = v.count ?? 0
      out.push({
        kind,
        seconds: FLOOD.seconds,
        requests: result.requests.total,
        rps: round(result.requests.total / FLOOD.seconds, 0),
        statuses,
        grew_bytes: grew,
        mb_per_s: round(grew / 1e6 / FLOOD.seconds, 3),
      })
    }
    return out
  } finally {
    await stopServer(child)
  }
}
