// Test support for the kill tests: the real station in its own process, signed load against it
// that records what was acknowledged, SIGKILL, and the check of the store after a restart.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { signatureHeaderValue } from '../station/receiver/signature'
import { STORED_BODY_LIMIT } from '../station/store/webhook-log'
import { DB_FILE } from '../station/station'
import type { EndpointName } from '../../shared/webhooks'

const ROOT = fileURLToPath(new URL('../../..', import.meta.url))
export const CRASH_SECRET = 'crash-test-secret'

export interface StationProcess {
  base: string
  pid: number
  /** Spawn until "receiver listening" (ms). */
  startMs: number
  /** The station's "store check: …" line. */
  storeCheck: Promise<string>
  output: () => string
  /** Sends the signal and waits for the process to end. */
  stop(signal: NodeJS.Signals): Promise<void>
}

function newestSource(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name)
    if (e.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (!/\.(test|stress)\.ts$/.test(e.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/**
 * How to run `gatehouse`: the built CLI (what ships, and a quicker start) when it is newer than
 * every source file of the main process, else the source through tsx. Decided once per run.
 */
export const stationCli: string[] = (() => {
  const built = join(ROOT, 'out/main/cli.js')
  const fresh =
    existsSync(built) && statSync(built).mtimeMs > Math.max(newestSource(join(ROOT, 'src/main')), newestSource(join(ROOT, 'src/shared')))
  return fresh ? [built] : ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts')]
})()

/** Starts `gatehouse station` in its own process. */
export function spawnStation(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<StationProcess> {
  const started = performance.now()
  const child: ChildProcess = spawn(
    process.execPath,
    [...stationCli, 'station', '--data-dir', dataDir, '--host', '127.0.0.1', '--port', '0', '--no-dashboard'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GATEHOUSE_SECRET: CRASH_SECRET, GATEHOUSE_RATE_LIMIT_PER_MINUTE: '0', ...extraEnv },
    },
  )
  let out = ''
  let onCheck: (line: string) => void = () => undefined
  const storeCheck = new Promise<string>((r) => (onCheck = r))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => rejectStart(new Error(`station did not start within 20 s:\n${out}`)), 20_000)
    const scan = (chunk: Buffer): void => {
      out += chunk.toString()
      const check = /^store check: .*$/m.exec(out)
      if (check) onCheck(check[0])
      const m = /receiver listening on (http:\/\/[\d.]+:\d+)/.exec(out)
      if (m && timer.hasRef()) {
        clearTimeout(timer)
        timer.unref()
        resolveStart({
          base: m[1]!,
          pid: child.pid!,
          startMs: performance.now() - started,
          storeCheck,
          output: () => out,
          stop: async (signal) => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            await exited
          },
        })
      }
    }
    child.stdout!.on('data', scan)
    child.stderr!.on('data', scan)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      rejectStart(new Error(`station exited (${code ?? signal}) before listening:\n${out}`))
    })
  })
}

/** What the clients were told was stored (2xx), and what they sent without an answer. */
export interface Ledger {
  /** reader|credential|scanned_at ms of every acknowledged scan. */
  decisions: Set<string>
  /** sha256 of the stored (truncated) body of every acknowledged request. */
  logs: Set<string>
  syncs: Array<{ project: string; rows: number; acked: boolean }>
  sent: number
  statuses: Map<number, number>
}

export const newLedger = (): Ledger => ({ decisions: new Set(), logs: new Set(), syncs: [], sent: 0, statuses: new Map() })

const logKey = (body: Buffer): string => createHash('sha256').update(body.subarray(0, STORED_BODY_LIMIT)).digest('hex')

export async function post(base: string, endpoint: EndpointName, body: string): Promise<{ status: number; json: unknown } | null> {
  const scheme = endpoint === 'cvent' ? 'cvent' : 'gxp'
  try {
    const res = await fetch(`${base}/webhook/v1/${endpoint}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [scheme === 'cvent' ? 'x-cvent-signature' : 'x-gxp-signature']: signatureHeaderValue(scheme, CRASH_SECRET, body),
      },
      body,
    })
    return { status: res.status, json: await res.json() }
  } catch {
    return null // killed mid-request: not acknowledged
  }
}

export function syncBody(project: string, rows: number): string {
  const attendees = Array.from({ length: rows }, (_, i) => ({
    external_id: `${project}-${i}`,
    first_name: 'Guest',
    last_name: `Number ${i}`,
    credential_value: `${project}-C${i}`,
  }))
  return JSON.stringify({ team_slug: 'crash', project_slug: project, sync_mode: 'upsert', attendees })
}

/** Sends one attendee-sync and records it, acknowledged or not. */
export async function sendSync(
  base: string,
  ledger: Ledger,
  project: string,
  rows: number,
  body = syncBody(project, rows),
): Promise<boolean> {
  const entry = { project, rows, acked: false }
  ledger.syncs.push(entry)
  ledger.sent++
  const res = await post(base, 'attendee-sync', body)
  if (res) ledger.statuses.set(res.status, (ledger.statuses.get(res.status) ?? 0) + 1)
  if (res?.status === 200) {
    entry.acked = true
    ledger.logs.add(logKey(Buffer.from(body)))
  }
  return entry.acked
}

let sequence = 0

/**
 * Signed load from `workers` concurrent clients until `stop` resolves: scans (70 %), gateway
 * statuses (20 %) and small attendee-syncs (10 %), every one unique so its effects can be found.
 */
export async function driveLoad(base: string, ledger: Ledger, tag: string, workers: number, stop: Promise<void>): Promise<void> {
  let stopped = false
  void stop.then(() => (stopped = true))
  const t0 = Date.UTC(2026, 0, 1)
  const worker = async (w: number): Promise<void> => {
    while (!stopped) {
      const n = sequence++
      const pick = n % 10
      if (pick === 9) {
        await sendSync(base, ledger, `${tag}-s${n}`, 1 + (n % 40))
        continue
      }
      const at = new Date(t0 + n * 1000).toISOString()
      const [endpoint, body] =
        pick >= 7
          ? ([
              'mqtt-gateway-status',
              JSON.stringify({
                gateway_id: `GW-${w}`,
                status: 'online',
                readers: [{ reader_id: `R-${w}`, status: 'connected' }],
                timestamp: at,
              }),
            ] as const)
          : ([
              'access-event',
              JSON.stringify({ reader_id: `R-${w}`, credential_value: `${tag}-${n}`, scan_type: 'barcode', timestamp: at }),
            ] as const)
      ledger.sent++
      const res = await post(base, endpoint, body)
      if (!res) continue
      ledger.statuses.set(res.status, (ledger.statuses.get(res.status) ?? 0) + 1)
      if (res.status !== 200) continue
      ledger.logs.add(logKey(Buffer.from(body)))
      if (endpoint === 'access-event') ledger.decisions.add(`R-${w}|${tag}-${n}|${Date.parse(at)}`)
    }
  }
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)))
}

export interface StoreReport {
  integrity: string
  missingDecisions: number
  missingLogs: number
  /** Acknowledged syncs not wholly present, and syncs partly present. */
  brokenSyncs: string[]
  rolledBackSyncs: number
  counts: { decisions: number; logs: number; attendees: number }
}

/** Reads the store beside the running station (a second, read-only connection). */
export function inspectStore(dataDir: string, ledger: Ledger): StoreReport {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true })
  try {
    db.pragma('busy_timeout = 5000')
    const integrity = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ')
    const decisions = new Set(
      (
        db.prepare('SELECT reader_id, credential_value, scanned_at FROM decisions').all() as Array<{
          reader_id: string
          credential_value: string
          scanned_at: number
        }>
      ).map((r) => `${r.reader_id}|${r.credential_value}|${r.scanned_at}`),
    )
    const logs = new Set<string>()
    for (const r of db.prepare('SELECT body FROM webhook_log WHERE status = 200').iterate() as IterableIterator<{ body: Buffer | null }>) {
      if (r.body) logs.add(logKey(r.body))
    }
    const perProject = new Map(
      (
        db
          .prepare('SELECT p.slug AS slug, count(a.id) AS n FROM projects p LEFT JOIN attendees a ON a.project_id = p.id GROUP BY p.id')
          .all() as Array<{ slug: string; n: number }>
      ).map((r) => [r.slug, r.n]),
    )
    const brokenSyncs: string[] = []
    let rolledBackSyncs = 0
    for (const s of ledger.syncs) {
      const n = perProject.get(s.project) ?? 0
      if (n === 0 && !s.acked) rolledBackSyncs++
      else if (n !== s.rows) brokenSyncs.push(`${s.project}: ${n} of ${s.rows} rows${s.acked ? ' (acknowledged)' : ''}`)
    }
    const count = (t: string): number => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number
    return {
      integrity,
      missingDecisions: [...ledger.decisions].filter((k) => !decisions.has(k)).length,
      missingLogs: [...ledger.logs].filter((k) => !logs.has(k)).length,
      brokenSyncs,
      rolledBackSyncs,
      counts: { decisions: count('decisions'), logs: count('webhook_log'), attendees: count('attendees') },
    }
  } finally {
    db.close()
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export interface KillRunOptions {
  dataDir: string
  rounds: number
  /** Rows of the big sync; sent in every `bigEvery`-th round, the first one left to finish. */
  bigRows: number
  bigEvery: number
  workers: number
  /** Load before the kill in rounds without a big sync (ms, uniform). */
  killAfterMs: [number, number]
  log?: (line: string) => void
}

export interface KillRunResult {
  ledger: Ledger
  reports: StoreReport[]
  checks: string[]
  startMs: number[]
  bigSyncMs: number | null
  killedDuringBigSync: number
}

/** Start, verify, load, SIGKILL — `rounds` times — then one last start and verification. */
export async function runKillRounds(o: KillRunOptions): Promise<KillRunResult> {
  const ledger = newLedger()
  const reports: StoreReport[] = []
  const checks: string[] = []
  const startMs: number[] = []
  let bigSyncMs: number | null = null
  let killedDuringBigSync = 0
  const log = o.log ?? (() => undefined)
  for (let round = 0; round <= o.rounds; round++) {
    const station = await spawnStation(o.dataDir)
    startMs.push(station.startMs)
    if (round > 0) {
      checks.push(await station.storeCheck)
      reports.push(inspectStore(o.dataDir, ledger))
    }
    if (round === o.rounds) {
      await station.stop('SIGTERM')
      break
    }
    let stopLoad!: () => void
    const stop = new Promise<void>((r) => (stopLoad = r))
    const load = driveLoad(station.base, ledger, `r${round}`, o.workers, stop)
    let killAt = o.killAfterMs[0] + Math.random() * (o.killAfterMs[1] - o.killAfterMs[0])
    let big: Promise<boolean> | null = null
    if (round % o.bigEvery === 0) {
      const body = syncBody(`big-${round}`, o.bigRows)
      const sentAt = performance.now()
      big = sendSync(station.base, ledger, `big-${round}`, o.bigRows, body).then((acked) => {
        if (acked && bigSyncMs === null) bigSyncMs = performance.now() - sentAt
        return acked
      })
      if (round === 0) {
        await big
        killAt = 200
      } else {
        // Aim inside the sync: between its upload and a little after its expected commit.
        killAt = (bigSyncMs ?? 2000) * (0.1 + Math.random() * 1.0)
      }
    }
    await sleep(killAt)
    stopLoad() // no new requests; those in flight are cut by the kill
    await station.stop('SIGKILL')
    await load
    if (big && round > 0 && !(await big)) killedDuringBigSync++
    log(`round ${round}: killed after ${Math.round(killAt)} ms; sent ${ledger.sent}, acknowledged decisions ${ledger.decisions.size}`)
  }
  return { ledger, reports, checks, startMs, bigSyncMs, killedDuringBigSync }
}
