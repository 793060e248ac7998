// A sync never stalls the gates: while a 100k-row attendee-sync is posted, scans keep arriving
// (one every 10 ms, each on its own connection) and the longest wait for an answer is recorded,
// beside the same scans' longest wait with no sync running (measured in the same run).
import http from 'node:http'
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { signatureHeaderValue } from '../src/main/station/receiver/signature'
import { SECRET, round, scanBody } from './load'

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
  // Posted from another process (sync-poster.ts), so that this one only times scans.
  const poster = fork(fileURLToPath(new URL('./sync-poster.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] })
  const ready = new Promise((r) => poster.once('message', r))
  poster.send({ base, rows, variant: 7 })
  await ready
  const sync = new Promise<{ status: number; ms: number; error?: string }>((resolve) => {
    poster.once('message', (m) => resolve(m as { status: number; ms: number }))
    poster.once('exit', () => resolve({ status: 0, ms: 0, error: 'the sync poster exited' }))
  })
  poster.send('go')
  const during = await scansWhile(base, sync)
  const posted = await sync
  if (posted.error) throw new Error(`the sync was not posted: ${posted.error}`)
  return {
    rows,
    sync_ms: round(posted.ms, 0),
    scans_during_sync: during.length,
    longest_wait_during_sync_ms: round(Math.max(...during)),
    longest_wait_quiet_ms: round(Math.max(...quiet)),
    sync_status: posted.status,
  }
}
