// The one load generator every target gets: autocannon sending signed access-event scans, each
// with its own reader, badge and timestamp (a repeated body would be a gateway retry), plus the
// helper that runs a server under test in a child process.
import autocannon from 'autocannon'
import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { signatureHeaderValue } from '../src/main/station/receiver/signature'

export const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef'
export const READERS = Array.from(
  { length: 50 },
  (_, i) => `GW-${String(Math.floor(i / 5) + 1).padStart(3, '0')}-R${String((i % 5) + 1).padStart(2, '0')}`,
)

/** Scans of the 100k seeded badges, one in ten unknown; every body unique. */
export function scanBody(seq: number, attendees: number): Buffer {
  const n = seq % 10 === 9 ? `UNKNOWN-${seq}` : `BADGE-${String(((seq * 7919) % attendees) + 1).padStart(6, '0')}`
  return Buffer.from(
    JSON.stringify({
      reader_id: READERS[seq % READERS.length],
      credential_value: n,
      scan_type: 'qr',
      // (reader, badge, timestamp) never repeats: the badge cycles through 100k before it comes back.
      timestamp: new Date().toISOString(),
    }),
  )
}

let sequence = 0

export interface LoadResult {
  requests: number
  /** Mean req/s over the run. */
  rps: number
  non2xx: number
  errors: number
  timeouts: number
  /** Exact percentiles (ms) from every response time, without coordinated-omission correction. */
  latency: { p50: number; p99: number; p99_9: number; max: number }
  /** autocannon's own (1 ms resolution, corrected for coordinated omission when rate-limited). */
  autocannon: { p50: number; p99: number; p99_9: number }
  statusCodes: Record<string, number>
}

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
  /** Fixed overall rate (req/s); saturation when absent. */
  rate?: number
  attendees?: number
}

export function load(options: LoadOptions): Promise<LoadResult> {
  const times: number[] = []
  const attendees = options.attendees ?? 100_000
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}/webhook/v1/access-event`,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.rate,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const body = scanBody(sequence++, attendees)
              return {
                ...req,
                body,
                headers: {
                  ...req.headers,
                  'content-type': 'application/json',
                  'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body),
                },
              }
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err)
        times.sort((a, b) => a - b)
        const at = (p: number): number => round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? 0)
        const statusCodes: Record<string, number> = {}
        for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = v.count ?? 0
        resolve({
          requests: result.requests.total,
          rps: round(result.requests.total / options.seconds),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          latency: { p50: at(50), p99: at(99), p99_9: at(99.9), max: round(times.at(-1) ?? 0) },
          autocannon: { p50: result.latency.p50, p99: result.latency.p99, p99_9: result.latency.p99_9 },
          statusCodes,
        })
      },
    )
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms))
  })
}

export const round = (v: number, places = 2): number => Math.round(v * 10 ** places) / 10 ** places

/** Runs a bench/servers entry in its own process (through tsx); resolves with its first IPC message. */
export function startServer<T extends { port: number }>(
  entry: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(fileURLToPath(new URL(`./servers/${entry}`, import.meta.url)), [], {
    // BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server under test.
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ child, ready: ready as T }))
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)))
    child.once('error', reject)
  })
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.disconnect()
  })
}

/**
 * Pins a process (all its threads) to the given cores with taskset (util-linux), so a server and
 * its load generator do not share a core; returns false where taskset is missing or refused.
 */
export function pin(pid: number, cores: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
