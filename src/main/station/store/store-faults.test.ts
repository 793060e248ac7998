// Store faults against a station listening on a real socket, each produced for real: another
// process holding the write lock, a full filesystem, a read-only (immutable) file, a deleted
// write-ahead log. While the fault lasts: 503 with a JSON body, scans never granted, a store
// alert; once it is cleared, the next request succeeds without a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, DB_FILE, type Station, type StationOptions } from '../station'
import { signatureHeaderValue } from '../receiver/signature'
import { eventually } from '../../test-support/station'
import type { AlertView } from '../../../shared/domain'

const SECRET = 'store-fault-secret'
const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3')

/** Whether this machine lets us mount a tmpfs (root with CAP_SYS_ADMIN); else max_page_count. */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'gatehouse-probe-'))
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status !== 0) return false
    spawnSync('umount', [probe])
    return true
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
}

/** Whether `chattr +i` works here (ext4/xfs/btrfs and CAP_LINUX_IMMUTABLE); else PRAGMA query_only. */
function canMakeImmutable(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-probe-'))
  const file = join(dir, 'f')
  writeFileSync(file, 'x')
  try {
    if (spawnSync('chattr', ['+i', file]).status !== 0) return false
    spawnSync('chattr', ['-i', file])
    return true
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const TMPFS = canMountTmpfs()
const IMMUTABLE = canMakeImmutable()

let dir: string
let dataDir: string
let station: Station
let base: string
let alerts: AlertView[]
let mounted = false
let scan = 0

async function post(endpoint: string, payload: unknown): Promise<{ status: number; type: string; json: Record<string, unknown> }> {
  const body = JSON.stringify(payload)
  const res = await fetch(`${base}/webhook/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body) },
    body,
  })
  return { status: res.status, type: res.headers.get('content-type') ?? '', json: (await res.json()) as Record<string, unknown> }
}

/** A scan of the one attendee on file: granted whenever the store works. */
const scanGuest = (extra: Record<string, unknown> = {}) =>
  post('access-event', {
    reader_id: 'R-1',
    credential_value: 'GUEST-1',
    timestamp: new Date(Date.UTC(2026, 0, 1) + ++scan * 1000).toISOString(),
    ...extra,
  })
const gatewayStatus = () =>
  post('mqtt-gateway-status', {
    gateway_id: 'GW-1',
    status: 'online',
    timestamp: new Date(Date.UTC(2026, 0, 1) + ++scan * 1000).toISOString(),
  })

async function startStation(options: Partial<StationOptions> = {}): Promise<void> {
  station = await createStation({ dataDir, env: { GATEHOUSE_SECRET: SECRET }, config: { rateLimitPerMinute: 0 }, ...options })
  const { port } = await station.listen('127.0.0.1', 0)
  base = `http://127.0.0.1:${port}`
  station.hub.on('alert:changed', (a) => alerts.push(a))
  const seeded = await post('attendee-sync', {
    team_slug: 'venue',
    project_slug: 'expo',
    sync_mode: 'upsert',
    attendees: [{ external_id: 'E-1', first_name: 'Jane', last_name: 'Smith', credential_value: 'GUEST-1' }],
  })
  expect(seeded.status).toBe(200)
  expect((await scanGuest()).json.access_granted).toBe(true)
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-faults-'))
  dataDir = join(dir, 'data')
  mkdirSync(dataDir)
  alerts = []
})

afterEach(async () => {
  if (IMMUTABLE) spawnSync('chattr', ['-i', join(dataDir, DB_FILE), join(dataDir, `${DB_FILE}-wal`)])
  await station?.close()
  if (mounted) spawnSync('umount', ['-l', dataDir])
  mounted = false
  rmSync(dir, { recursive: true, force: true })
})

/** What every fault must look like from outside, and the recovery once `clear` has run. */
async function expectFaultThenRecovery(clear: () => Promise<void> | void, during = scanGuest): Promise<void> {
  const refused = await during()
  expect(refused.status).toBe(503)
  expect(refused.type).toMatch(/^application\/json/)
  expect(refused.json.error).toBe('Service Unavailable')
  expect(refused.json.access_granted).toBeUndefined()
  expect((await gatewayStatus()).status).toBe(503)
  expect(station.access.storeFault()).not.toBeNull()
  expect(alerts.some((a) => a.kind === 'store_failure' && a.severity === 'critical' && a.resolved_at === null)).toBe(true)

  await clear()
  const again = await scanGuest()
  expect(again.status).toBe(200)
  expect(again.json.access_granted).toBe(true)
  expect((await gatewayStatus()).status).toBe(200)
  // The fault is now on record, resolved, in the alert history the desk shows.
  await new Promise((r) => setTimeout(r, 50))
  expect(station.access.storeFault()).toBeNull()
  const recorded = station.access.alerts.recent().filter((a) => a.kind === 'store_failure')
  expect(recorded).toHaveLength(1)
  expect(recorded[0]!.resolved_at).not.toBeNull()
}

/** A second process with its own connection, ready when it printed its first line. */
function otherProcess(script: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-e', `const Database = require(${JSON.stringify(betterSqlite)}); const file = ${JSON.stringify(join(dataDir, DB_FILE))};\n${script}`],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  )
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child))
    child.once('exit', (code) => reject(new Error(`helper exited with ${code}`)))
  })
}
const release = async (child: ChildProcess): Promise<void> => {
  child.stdin!.end('go\n')
  await new Promise((r) => child.once('exit', r))
}

describe('store faults', () => {
  it('the database locked by another process (BEGIN EXCLUSIVE held): 503 until it lets go', async () => {
    await startStation()
    const locker = await otherProcess(
      `const db = new Database(file); db.exec('BEGIN EXCLUSIVE'); console.log('locked');
       process.stdin.on('data', () => { db.exec('COMMIT'); db.close(); process.exit(0) })`,
    )
    await expectFaultThenRecovery(() => release(locker))
  })

  it('a locked store never blocks the event loop: the write waits off it, others are answered, and it goes through once released', async () => {
    // A long wait, so that the scan is still waiting when the lock goes (by default it fails at ~40 ms).
    await startStation({ lockWaitMs: 60_000 })
    // The station's connection never waits inside SQLite (that would hold the event loop).
    expect(station.db.pragma('busy_timeout', { simple: true })).toBe(0)
    const locker = await otherProcess(
      `const db = new Database(file); db.exec('BEGIN EXCLUSIVE'); console.log('locked');
       process.stdin.on('data', () => { db.exec('COMMIT'); db.close(); process.exit(0) })`,
    )
    let settled = false
    const pending = scanGuest().finally(() => (settled = true))
    await eventually(() => station.queue.lockedWrites() > 0)
    // Meanwhile the event loop is free: a request needing no commit is answered at once.
    expect((await fetch(`${base}/nothing`, { method: 'POST' })).status).toBe(404)
    expect(settled).toBe(false)
    await release(locker)
    const scanned = await pending
    expect(scanned.status).toBe(200)
    expect(scanned.json.access_granted).toBe(true)
    expect(station.access.storeFault()).toBeNull()
    expect(alerts.filter((a) => a.kind === 'store_failure')).toEqual([])
  })

  it(`disk full (${TMPFS ? 'a 2 MiB tmpfs filled up' : 'PRAGMA max_page_count: mount is not permitted here'})`, async () => {
    if (TMPFS) {
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir]).status).toBe(0)
      mounted = true
    }
    await startStation()
    const filler = join(dataDir, 'filler')
    if (TMPFS) {
      const fd = openSync(filler, 'w')
      for (const size of [65_536, 4096, 512, 1]) {
        try {
          for (;;) writeSync(fd, Buffer.alloc(size))
        } catch (err) {
          expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC')
        }
      }
      closeSync(fd)
      // A write that fits in WAL space already allocated (the log is reused after a checkpoint)
      // still succeeds on a full disk; one that must grow the files cannot.
      await expectFaultThenRecovery(
        () => unlinkSync(filler),
        () => scanGuest({ note: 'x'.repeat(200_000) }),
      )
    } else {
      // No new page may be allocated: a scan whose log entry needs new pages fails with SQLITE_FULL.
      const pages = station.db.pragma('page_count', { simple: true }) as number
      station.db.pragma(`max_page_count = ${pages}`)
      await expectFaultThenRecovery(
        () => void station.db.pragma('max_page_count = 1073741823'),
        () => scanGuest({ note: 'x'.repeat(200_000) }),
      )
    }
  })

  it(`a read-only file (${IMMUTABLE ? 'chattr +i on the database and its log: refused even to root' : 'PRAGMA query_only: chattr is not permitted here'})`, async () => {
    await startStation()
    const files = [join(dataDir, DB_FILE), join(dataDir, `${DB_FILE}-wal`)]
    if (IMMUTABLE) {
      expect(spawnSync('chattr', ['+i', ...files]).status).toBe(0)
      await expectFaultThenRecovery(() => void spawnSync('chattr', ['-i', ...files]))
    } else {
      station.db.pragma('query_only = ON')
      await expectFaultThenRecovery(() => void station.db.pragma('query_only = OFF'))
    }
  })

  it('the -wal file deleted while another process has the database open: 503 until it closes, then a new log', async () => {
    await startStation()
    const reader = await otherProcess(
      `const db = new Database(file, { readonly: true }); db.prepare('SELECT count(*) FROM attendees').get(); console.log('open');
       process.stdin.on('data', () => { db.close(); process.exit(0) })`,
    )
    unlinkSync(join(dataDir, `${DB_FILE}-wal`))
    await expectFaultThenRecovery(() => release(reader))
    // Everything acknowledged before the deletion was saved from the orphaned log.
    expect(station.access.attendees.counts().n).toBe(1)
    expect(station.access.decisions.counts(0).granted).toBe(2)
  })

  it('the -wal file deleted with no one else attached: repaired before the next commit, and said so', async () => {
    await startStation()
    unlinkSync(join(dataDir, `${DB_FILE}-wal`))
    const scanned = await scanGuest()
    expect(scanned.status).toBe(200)
    expect(scanned.json.access_granted).toBe(true)
    await new Promise((r) => setTimeout(r, 50))
    const recorded = station.access.alerts.recent().filter((a) => a.kind === 'store_failure')
    expect(recorded).toHaveLength(1)
    expect(recorded[0]!.message).toMatch(/write-ahead log .* was deleted/)
    expect(recorded[0]!.resolved_at).not.toBeNull()
  })
})
