// The CLI's read commands open the store read-only and load no secrets: they work on a directory
// whose secrets the desk sealed with its OS keychain, and they write nothing — not even a store or
// a secrets file into an empty directory. Real child processes on a real store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { post, signGxp, startStation, tempDir } from '../test-support/station'
import { DB_FILE } from '../station/station'

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')))
const READS = [
  ['logs'],
  ['status'],
  ['attendees'],
  ['decisions'],
  ['alerts'],
  ['projects'],
  ['zones'],
  ['credentials'],
  ['allowlist', 'list', 'cvent'],
]

function gatehouse(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--data-dir', dataDir],
      { env: childEnv, encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/**
 * Name, size and modification time of every file: what "wrote nothing" is checked against. A
 * reader of a WAL store may leave SQLite's shared-memory index and an empty -wal beside it (as
 * any reader does); those are checked to hold nothing.
 */
const snapshot = (dir: string) =>
  readdirSync(dir)
    .sort()
    .filter((f) => {
      if (f.endsWith('-shm')) return false
      if (f.endsWith('-wal')) return statSync(join(dir, f)).size !== 0
      return true
    })
    .map((f) => {
      const st = statSync(join(dir, f))
      return `${f}:${st.size}:${st.mtimeMs}`
    })

let sealedDir = ''
beforeAll(async () => {
  sealedDir = tempDir('gatehouse-sealed-')
  const s = await startStation({ dataDir: sealedDir })
  const body = '{"gateway_id":"GW-7","status":"online","readers":[{"reader_id":"R-7","status":"connected"}]}'
  const res = await post(s.url, '/webhook/v1/mqtt-gateway-status', body, {
    'x-gxp-signature': signGxp(s.station.secrets.info('mqtt-gateway-status').secret, body),
  })
  expect(res.status).toBe(200)
  await s.close()
  // As the desk leaves it: secrets sealed with a keychain this process does not have.
  writeFileSync(join(sealedDir, 'secrets.json'), JSON.stringify({ sealed: 'electron-safe-storage', data: 'AAAA' }), { mode: 0o600 })
})
afterAll(() => rmSync(sealedDir, { recursive: true, force: true }))

describe('read commands', () => {
  it('work on a store whose secrets the desk sealed, and change no file', async () => {
    const before = snapshot(sealedDir)
    const results = await Promise.all(READS.map((args) => gatehouse(sealedDir, ...args, '--json')))
    for (const [i, r] of results.entries()) {
      expect({ command: READS[i], code: r.code, stderr: r.stderr }).toEqual({ command: READS[i], code: 0, stderr: '' })
      JSON.parse(r.stdout)
    }
    expect(JSON.parse(results[1]!.stdout).gateways).toMatchObject([{ gateway_id: 'GW-7' }])
    expect(snapshot(sealedDir)).toEqual(before)
    // A command that needs the secrets still says why it cannot have them.
    const secret = await gatehouse(sealedDir, 'secret', 'show', 'cvent')
    expect(secret.code).not.toBe(0)
    expect(secret.stderr).toMatch(/sealed with electron-safe-storage/)
  })

  it('on an empty directory answer "nothing yet" and create no file', async () => {
    const empty = tempDir('gatehouse-empty-')
    try {
      const results = await Promise.all(READS.map((args) => gatehouse(empty, ...args)))
      for (const r of results) expect(r.code).toBe(0)
      expect(results[0]!.stdout).toMatch(/no log entries/)
      expect(readdirSync(empty)).toEqual([])
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  it('refuse a store older than this Gatehouse with what to do, and leave it as it was', async () => {
    const dir = tempDir('gatehouse-old-')
    try {
      const { openDb } = await import('../station/store/db')
      openDb(join(dir, DB_FILE), { targetVersion: 3 }).close()
      const before = snapshot(dir)
      const r = await gatehouse(dir, 'logs')
      expect(r.code).not.toBe(0)
      expect(r.stderr).toMatch(/schema 3.*Start the station once/)
      expect(snapshot(dir)).toEqual(before)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
