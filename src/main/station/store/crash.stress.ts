// The long SIGKILL run: 30 rounds of signed load from 16 clients, a 100,000-row attendee-sync in
// every third round (the first left to finish, the others killed at a random point of it).
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runKillRounds, spawnStation } from '../../test-support/crash-harness'
import { RUNNING_MARKER } from './startup-check'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-stress-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('SIGKILL under load, 30 rounds', () => {
  it('keeps every acknowledged write, never half a sync, and passes integrity_check every time', async () => {
    const t0 = performance.now()
    const run = await runKillRounds({
      dataDir: dir,
      rounds: 30,
      bigRows: 100_000,
      bigEvery: 3,
      workers: 16,
      killAfterMs: [200, 2500],
      log: console.log,
    })
    const problems = run.reports.flatMap((r, i) => [
      ...(r.integrity === 'ok' ? [] : [`round ${i + 1}: integrity ${r.integrity}`]),
      ...(r.missingDecisions ? [`round ${i + 1}: ${r.missingDecisions} acknowledged decisions missing`] : []),
      ...(r.missingLogs ? [`round ${i + 1}: ${r.missingLogs} acknowledged log entries missing`] : []),
      ...r.brokenSyncs.map((s) => `round ${i + 1}: ${s}`),
    ])
    expect(problems).toEqual([])
    expect(run.reports).toHaveLength(30)
    for (const c of run.checks) expect(c).toMatch(/^store check: integrity_check ok .*did not shut down cleanly/)
    // The 100k sync was acknowledged once, and at least one kill landed inside a later one.
    expect(run.bigSyncMs).not.toBeNull()
    expect(run.killedDuringBigSync).toBeGreaterThan(0)

    // The last stop was clean (SIGTERM): no marker, and the next start only runs quick_check.
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
    const station = await spawnStation(dir)
    expect(await station.storeCheck).toMatch(/^store check: quick_check ok in \d+ ms$/)
    await station.stop('SIGTERM')

    const last = run.reports.at(-1)!
    console.log(
      JSON.stringify({
        seconds: Math.round((performance.now() - t0) / 1000),
        sent: run.ledger.sent,
        acknowledged: {
          decisions: run.ledger.decisions.size,
          logEntries: run.ledger.logs.size,
          syncs: run.ledger.syncs.filter((s) => s.acked).length,
        },
        syncsRolledBack: last.rolledBackSyncs,
        killedDuringBigSync: run.killedDuringBigSync,
        bigSyncMs: Math.round(run.bigSyncMs ?? 0),
        statuses: Object.fromEntries(run.ledger.statuses),
        startMs: { min: Math.round(Math.min(...run.startMs)), max: Math.round(Math.max(...run.startMs)) },
        checks: run.checks.map((c) => Number(/in (\d+) ms/.exec(c)?.[1])),
        store: last.counts,
      }),
    )
  })
})
