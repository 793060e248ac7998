// The check at start: quick_check after a clean stop, integrity_check after an unclean one, a
// critical alert on the desk when it fails, and a start that does not wait for it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createStation, DB_FILE, openCore, type Station } from '../station'
import { createDeskCommands, runDeskCommand } from '../desk/commands'
import { signatureHeaderValue } from '../receiver/signature'
import { RUNNING_MARKER } from './startup-check'
import type { AlertView } from '../../../shared/domain'
import type { Overview, Result } from '../../../shared/contract'

const SECRET = 'startup-check-secret'
const env = { GATEHOUSE_SECRET: SECRET }
let dir: string
let station: Station | undefined

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-check-'))
})
afterEach(async () => {
  await station?.close()
  station = undefined
  rmSync(dir, { recursive: true, force: true })
})

async function gatewayStatus(s: Station): Promise<number> {
  const body = JSON.stringify({ gateway_id: 'GW-1', status: 'online' })
  const res = await s.receiver.inject({
    method: 'POST',
    url: '/webhook/v1/mqtt-gateway-status',
    headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body) },
    payload: body,
  })
  return res.statusCode
}

/** A store with enough rows that the attendees' name index spans many pages. */
function seed(rows: number): void {
  const core = openCore({ dataDir: dir, env })
  const insert = core.db.prepare(
    `INSERT INTO attendees (project_id, external_id, first_name, last_name, created_at, updated_at) VALUES (1, ?, 'Guest', ?, 0, 0)`,
  )
  core.db.exec(`INSERT INTO teams (slug, created_at) VALUES ('t', 0); INSERT INTO projects (team_id, slug, created_at) VALUES (1, 'p', 0)`)
  core.db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`E-${i}`, `Surname ${(i * 7919) % rows}`)
  })()
  core.close()
}

describe('the store check at start', () => {
  it('runs quick_check after a clean stop and integrity_check when the last run left its marker', async () => {
    station = await createStation({ dataDir: dir, env })
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(true)
    expect(await station.storeCheck).toMatchObject({ pragma: 'quick_check', uncleanShutdown: false, ok: true, problems: [] })
    await station.close()
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)

    // As a crash leaves it: the marker is still there at the next start.
    writeFileSync(join(dir, RUNNING_MARKER), '1 then\n')
    station = await createStation({ dataDir: dir, env })
    expect(await station.storeCheck).toMatchObject({ pragma: 'integrity_check', uncleanShutdown: true, ok: true })
    expect(station.access.alerts.open().filter((a) => a.kind === 'integrity_failure')).toEqual([])
  })

  it('starts on a damaged file, keeps receiving, and puts a critical integrity_failure alert on the desk', async () => {
    seed(20_000)
    // Overwrite a page in the middle of the attendees' name index (not page 1: the file must still open).
    const core = openCore({ dataDir: dir, env })
    const root = core.db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'attendees_name'`).pluck().get() as number
    const pageSize = core.db.pragma('page_size', { simple: true }) as number
    core.close()
    const fd = openSync(join(dir, DB_FILE), 'r+')
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize)
    closeSync(fd)

    station = await createStation({ dataDir: dir, env })
    const raised: AlertView[] = []
    station.hub.on('alert:changed', (a) => raised.push(a))
    const check = await station.storeCheck
    expect(check.ok).toBe(false)
    expect(check.problems.join('\n')).toMatch(/page|btree|tree|index/i)

    const alert = station.access.alerts.open().find((a) => a.kind === 'integrity_failure')
    expect(alert).toMatchObject({ severity: 'critical', subject: 'store' })
    expect(alert!.message).toMatch(/failed its quick_check at start/)
    expect(raised.map((a) => a.kind)).toContain('integrity_failure')
    const commands = createDeskCommands({ station, receiverUrls: () => [] })
    const overview = (await runDeskCommand(commands, 'overview:get', {})) as Result<Overview>
    expect(overview.ok && overview.value.open_alerts.map((a) => a.kind)).toContain('integrity_failure')
    // The receiver still works for what the damage does not touch.
    expect(await gatewayStatus(station)).toBe(200)
  })

  it('after an unclean shutdown integrity_check finds what quick_check cannot; a repaired file resolves the alert', async () => {
    seed(2000)
    // The attendees' name index now claims another column order than its entries have: a b-tree
    // that is sound page by page (quick_check passes) but disagrees with its table.
    const core = openCore({ dataDir: dir, env })
    core.db.unsafeMode(true)
    core.db.pragma('writable_schema = ON')
    core.db
      .prepare(
        `UPDATE sqlite_schema SET sql = 'CREATE INDEX attendees_name ON attendees (first_name, last_name)' WHERE name = 'attendees_name'`,
      )
      .run()
    core.db.pragma('writable_schema = OFF')
    core.close()

    station = await createStation({ dataDir: dir, env })
    expect(await station.storeCheck).toMatchObject({ pragma: 'quick_check', ok: true })
    await station.close()

    writeFileSync(join(dir, RUNNING_MARKER), '1 then\n')
    station = await createStation({ dataDir: dir, env })
    const check = await station.storeCheck
    expect(check).toMatchObject({ pragma: 'integrity_check', uncleanShutdown: true, ok: false })
    expect(check.problems[0]).toMatch(/missing from index attendees_name/)
    expect(station.access.alerts.open().find((a) => a.kind === 'integrity_failure')?.message).toMatch(
      /integrity_check at start after an unclean shutdown/,
    )
    await station.close()

    const repair = openCore({ dataDir: dir, env })
    repair.db.exec('REINDEX attendees_name')
    repair.close()
    station = await createStation({ dataDir: dir, env })
    expect(await station.storeCheck).toMatchObject({ pragma: 'quick_check', ok: true })
    expect(station.access.alerts.open().filter((a) => a.kind === 'integrity_failure')).toEqual([])
    expect(station.access.alerts.recent().find((a) => a.kind === 'integrity_failure')?.resolved_at).not.toBeNull()
  })

  it('does not make the start wait for the check of a large file', async () => {
    seed(300_000)
    const t0 = performance.now()
    station = await createStation({ dataDir: dir, env })
    await station.listen('127.0.0.1', 0)
    const started = performance.now() - t0
    const check = await station.storeCheck
    const checked = performance.now() - t0
    console.log(
      `start ${Math.round(started)} ms; quick_check of ${Math.round(((station.db.pragma('page_count', { simple: true }) as number) * 4096) / 1e6)} MB done after ${Math.round(checked)} ms (${check.ms} ms in its thread)`,
    )
    // The check ran on its own thread, so the start did not wait for it (how long a start takes
    // is npm run bench's cold-start row).
    expect(check).toMatchObject({ ok: true, thread: 'worker' })
  })
})
