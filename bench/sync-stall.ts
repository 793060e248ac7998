// A sync never stalls the gates: while a 100k-row attendee-sync is posted, scans keep arriving
// (one every 10 ms, each on its own connection) and the longest wait for an answer is recorded,
// beside the same scans' longest wait with no sync running (measured in the same run).
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { signatureHeaderValue } from '../src/main/station/receiver/signature'
import { SECRET, round, scanBody } from './load'
import { post, syncBody } from './station-setup'

export interface SyncStallFigures {
  rows: number
  sync_ms: number
  scans_during_sync: number
  longest_wait_during_sync_ms: number
  longest_wait_quiet_ms: number
  sync_status: number
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })

function scan(base: string, seq: number): Promise<number> {
  const body = scanBody(seq, 100_000)
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/webhook/v1/access-event`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          res.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error(`scan answered ${res.statusCode}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Scans every `everyMs` until `until` settles; resolves with each scan's wait (ms). */
async function scansWhile(base: string, until: Promise<unknown>, everyMs = 10, firstSeq = 5_000_000): Promise<number[]> {
  let done = false
  void until.finally(() => (done = true))
  const waits: Promise<number>[] = []
  let seq = firstSeq
  while (!done) {
    waits.push(scan(base, seq++))
    await new Promise((r) => setTimeout(r, everyMs))
  }
  return Promise.all(waits)
}

export async function benchSyncStall(base: string, rows = 100_000): Promise<SyncStallFigures> {
  const quiet = await scansWhile(base, new Promise((r) => setTimeout(r, 1_500)), 10, 4_000_000)
  // A fresh variant: every row changes, as a real re-sync after a day of edits would.
  const body = syncBody(rows, 7)
  const started = performance.now()
  const sync = post(base, 'attendee-sync', body)
  const during = await scansWhile(base, sync)
  const posted = await sync
  return {
    rows,
    sync_ms: round(performance.now() - started, 0),
    scans_during_sync: during.length,
    longest_wait_during_sync_ms: round(Math.max(...during)),
    longest_wait_quiet_ms: round(Math.max(...quiet)),
    sync_status: posted.status,
  }
}
