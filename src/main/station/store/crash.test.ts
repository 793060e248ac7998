// SIGKILL under signed load, a few rounds (the long run is crash.stress.ts): nothing acknowledged
// is lost, every attendee-sync is all or nothing, and the file passes integrity_check.
import { afterAll, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  driveLoad,
  inspectStore,
  newLedger,
  post,
  runKillRounds,
  sendSync,
  sleep,
  spawnStation,
  stationCli,
} from '../../test-support/crash-harness'
import { RUNNING_MARKER } from './startup-check'
import { DB_FILE } from '../station'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('SIGKILL under load', () => {
  it('keeps every acknowledged write and never half a sync', { timeout: 240_000 }, async () => {
    const run = await runKillRounds({
      dataDir: dir,
      rounds: 3,
      bigRows: 20_000,
      bigEvery: 2,
      workers: 8,
      killAfterMs: [300, 900],
      log: console.log,
    })
    expect(run.ledger.decisions.size).toBeGreaterThan(50)
    for (const r of run.reports) {
      expect(r.integrity).toBe('ok')
      expect(r.missingDecisions).toBe(0)
      expect(r.missingLogs).toBe(0)
      expect(r.brokenSyncs).toEqual([])
    }
    // Every restart after a kill ran the full integrity_check, and it passed.
    expect(run.checks).toHaveLength(3)
    for (const c of run.checks) expect(c).toMatch(/^store check: integrity_check ok .*did not shut down cleanly/)
    // The last stop was clean (SIGTERM): no marker, and the next start runs quick_check only.
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
    const station = await spawnStation(dir)
    expect(await station.storeCheck).toMatch(/^store check: quick_check ok in \d+ ms$/)
    await station.stop('SIGTERM')
    console.log({
      cli: stationCli.at(-1),
      startMs: run.startMs.map(Math.round),
      bigSyncMs: run.bigSyncMs,
      statuses: [...run.ledger.statuses],
      last: run.reports.at(-1)?.counts,
    })
  })

  it('keeps what was acknowledged after its -wal file was deleted, through a SIGKILL', { timeout: 120_000 }, async () => {
    const walDir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-wal-'))
    try {
      const ledger = newLedger()
      const station = await spawnStation(walDir)
      expect(await sendSync(station.base, ledger, 'before', 50)).toBe(true)
      let stop!: () => void
      await driveLoad(station.base, ledger, 'pre', 4, new Promise((r) => setTimeout(r, 300)))
      unlinkSync(join(walDir, `${DB_FILE}-wal`))
      const load = driveLoad(station.base, ledger, 'post', 4, new Promise<void>((r) => (stop = r)))
      await sleep(500)
      stop()
      await load
      expect(await sendSync(station.base, ledger, 'after', 50)).toBe(true)
      await station.stop('SIGKILL')
      // While the log is restarted the checkpointer's connection may be open for a moment: a request
      // then gets 503 (nothing acknowledged, so nothing to lose); every other one is a 200.
      expect([...ledger.statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([])
      expect(ledger.statuses.get(200)).toBeGreaterThan(ledger.statuses.get(503) ?? 0)

      const again = await spawnStation(walDir)
      expect(await again.storeCheck).toMatch(/integrity_check ok/)
      const report = inspectStore(walDir, ledger)
      await again.stop('SIGTERM')
      expect(report).toMatchObject({ integrity: 'ok', missingDecisions: 0, missingLogs: 0, brokenSyncs: [] })
      expect(ledger.decisions.size).toBeGreaterThan(20)
    } finally {
      rmSync(walDir, { recursive: true, force: true })
    }
  })

  it('undoes a sync that a SIGKILL cut short between its slices, before anything else is received', { timeout: 120_000 }, async () => {
    const syncDir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-slices-'))
    const rows = 60_000
    const project = (db: Database.Database): number =>
      db.prepare("SELECT count(*) FROM attendees a JOIN projects p ON p.id = a.project_id WHERE p.slug = 'sliced'").pluck().get() as number
    try {
      const station = await spawnStation(syncDir)
      const ledger = newLedger()
      const sent = sendSync(station.base, ledger, 'sliced', rows)
      // Killed once some slices are committed (their journal is on disk) and before the answer.
      const reader = new Database(join(syncDir, DB_FILE), { readonly: true })
      while ((reader.prepare('SELECT count(*) FROM sync_undo').pluck().get() as number) === 0) await sleep(2)
      await station.stop('SIGKILL')
      expect(await sent).toBe(false)
      const partly = project(reader)
      reader.close()
      // What the kill left on disk: part of the sync, as far as its slices had come.
      expect(partly).toBeGreaterThan(0)
      expect(partly).toBeLessThan(rows)

      const again = await spawnStation(syncDir)
      const after = new Database(join(syncDir, DB_FILE), { readonly: true })
      expect(project(after)).toBe(0)
      expect(after.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(0)
      expect(again.output()).toContain('undid 1 attendee-sync')
      // The gateway's retry of the same sync then applies all of it.
      expect(await sendSync(again.base, ledger, 'sliced', rows)).toBe(true)
      expect(project(after)).toBe(rows)
      after.close()
      await again.stop('SIGTERM')
    } finally {
      rmSync(syncDir, { recursive: true, force: true })
    }
  })

  it(
    "after a SIGKILL, readers' and attendees' last scan and gateways' last seen are those of the scans acknowledged",
    { timeout: 120_000 },
    async () => {
      const marksDir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-marks-'))
      try {
        const station = await spawnStation(marksDir)
        const status = { gateway_id: 'GW-M', status: 'online', readers: [{ reader_id: 'R-M', status: 'connected' }] }
        expect((await post(station.base, 'mqtt-gateway-status', JSON.stringify(status)))?.status).toBe(200)
        expect(await sendSync(station.base, newLedger(), 'marks', 20)).toBe(true)
        // Scans in quick succession: all but the first of each second wait in memory to be written,
        // and attendees' marks are written behind them.
        const base = Date.now()
        let last = 0
        for (let i = 0; i < 20; i++) {
          const scannedAt = base - 60_000 + i * 1000
          const scan = { reader_id: 'R-M', credential_value: `marks-C${i}`, scan_type: 'qr', timestamp: new Date(scannedAt).toISOString() }
          expect((await post(station.base, 'access-event', JSON.stringify(scan)))?.status).toBe(200)
          last = scannedAt
        }
        await station.stop('SIGKILL')

        const again = await spawnStation(marksDir)
        await again.storeCheck
        const db = new Database(join(marksDir, DB_FILE), { readonly: true })
        try {
          const newest = db.prepare("SELECT max(decided_at) FROM decisions WHERE reader_id = 'R-M'").pluck().get() as number
          const row = () =>
            db
              .prepare(
                "SELECT r.last_scan, r.last_seen, g.last_seen AS gw FROM readers r JOIN gateways g ON g.id = r.gateway_id WHERE reader_id = 'R-M'",
              )
              .get() as { last_scan: number; last_seen: number; gw: number }
          // The rebuild is the restarted station's first write.
          for (let i = 0; i < 200 && row().last_scan !== last; i++) await sleep(25)
          expect(row()).toEqual({ last_scan: last, last_seen: newest, gw: newest })
          const attendees = db.prepare("SELECT external_id, last_scan_at FROM attendees WHERE external_id LIKE 'marks-%'").all()
          expect(attendees).toHaveLength(20)
          for (const a of attendees as Array<{ external_id: string; last_scan_at: number }>)
            expect(a.last_scan_at).toBe(base - 60_000 + Number(a.external_id.slice('marks-'.length)) * 1000)
          expect(db.prepare("SELECT value FROM settings WHERE key = 'attendee_scans_from'").pluck().get()).toBe('null')
        } finally {
          db.close()
          await again.stop('SIGTERM')
        }
      } finally {
        rmSync(marksDir, { recursive: true, force: true })
      }
    },
  )
})
