// The desk's station start, and what the operator reads when it fails: every refusal is a real
// failure of a real station in a temp data directory, worded with what to do; a failed start
// leaves the store closed (no running marker), a refused setting opens nothing at all.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DB_FILE } from '../station/station'
import { plainSealer, type Sealer } from '../station/secrets'
import { RUNNING_MARKER } from '../station/store/startup-check'
import { tempDir } from '../test-support/station'
import { DeskListenError, SealedSecretsError } from './desk-errors'
import { startDeskStation } from './start-station'
import { describeStartupError } from './startup-error'

const dirs: string[] = []
const servers: Server[] = []
const dataDir = (): string => {
  const d = tempDir('gatehouse-desk-start-')
  dirs.push(d)
  return d
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const quiet = { GATEHOUSE_HOST: '127.0.0.1', GATEHOUSE_PORT: '0', GATEHOUSE_HTTPS_PORT: '0' }

/** A port something else holds. */
async function busyPort(): Promise<number> {
  const server = createServer()
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('the start succeeded')
    },
    (err: unknown) => err,
  )

describe("the desk's station", () => {
  it('starts where the environment says and closes cleanly', async () => {
    const dir = dataDir()
    const { station, urls, warnings } = await startDeskStation({ dataDir: dir, env: quiet })
    try {
      expect(warnings).toEqual([])
      const http = station.bound().http
      expect(http?.port).toBeGreaterThan(0)
      expect(urls()).toEqual([`http://127.0.0.1:${http!.port}`])
      const res = await fetch(`http://127.0.0.1:${http!.port}/webhook/v1/access-event`)
      expect(res.status).toBe(405)
      expect(existsSync(join(dir, RUNNING_MARKER))).toBe(true)
    } finally {
      await station.close()
    }
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
  })

  it('a busy receiver port: the store is closed again and the dialog names GATEHOUSE_PORT', async () => {
    const dir = dataDir()
    const port = await busyPort()
    const err = await failure(startDeskStation({ dataDir: dir, env: { ...quiet, GATEHOUSE_PORT: String(port) } }))
    expect(err).toBeInstanceOf(DeskListenError)
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
    const dialog = describeStartupError(err, { dataDir: dir })
    expect(dialog.title).toBe('Gatehouse could not start')
    expect(dialog.content).toContain(`port ${port} is in use`)
    expect(dialog.content).toContain('GATEHOUSE_PORT')
    expect(dialog.content).toContain(dir)
  })

  it('a busy HTTPS port that was asked for names GATEHOUSE_HTTPS_PORT', async () => {
    const dir = dataDir()
    const port = await busyPort()
    const err = await failure(startDeskStation({ dataDir: dir, env: { ...quiet, GATEHOUSE_HTTPS_PORT: String(port) } }))
    expect(describeStartupError(err, { dataDir: dir }).content).toMatch(
      new RegExp(`HTTPS receiver's port ${port} is in use.*GATEHOUSE_HTTPS_PORT`),
    )
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
  })

  it('a refused setting opens nothing: no database, no marker', async () => {
    const dir = dataDir()
    const err = await failure(startDeskStation({ dataDir: dir, env: { ...quiet, GATEHOUSE_PORT: 'abc' } }))
    expect(readdirSync(dir)).toEqual([])
    const dialog = describeStartupError(err, { dataDir: dir })
    expect(dialog.content).toContain('GATEHOUSE_PORT must be a port number')
    expect(dialog.content).toContain('Fix or unset that variable')
  })

  it('secrets sealed with the OS keychain, opened where none is available: the dialog says what to do', async () => {
    const dir = dataDir()
    // What the desk wrote where the keychain worked (a stand-in sealer of the same kind).
    const keychain: Sealer = {
      kind: 'safeStorage',
      seal: (t) => Buffer.from(t).toString('base64'),
      unseal: (t) => Buffer.from(t, 'base64').toString(),
    }
    const first = await startDeskStation({ dataDir: dir, env: quiet, sealer: keychain })
    await first.station.close()
    // The desk hands secrets.ts the plain sealer exactly when safeStorage is unavailable.
    const err = await failure(startDeskStation({ dataDir: dir, env: quiet, sealer: plainSealer }))
    const dialog = describeStartupError(err, { dataDir: dir })
    expect(dialog.content).toContain('sealed with the OS keychain')
    expect(dialog.content).toContain('keychain unlocked')
    expect(dialog.content).toContain('move secrets.json out of the data directory')
    expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
    // And when the keychain is there but cannot unseal them (another user's, another machine's).
    expect(
      describeStartupError(new SealedSecretsError('safeStorage could not unseal secrets.json: bad key'), { dataDir: dir }).content,
    ).toContain('move secrets.json out of the data directory')
  })

  it('a database from a newer Gatehouse is refused and left as it was', async () => {
    const dir = dataDir()
    const db = new Database(join(dir, DB_FILE))
    db.pragma('user_version = 9999')
    db.close()
    const err = await failure(startDeskStation({ dataDir: dir, env: quiet }))
    const dialog = describeStartupError(err, { dataDir: dir })
    expect(dialog.content).toContain('written by a newer Gatehouse')
    expect(dialog.content).toContain('Nothing was changed')
    const after = new Database(join(dir, DB_FILE), { readonly: true })
    expect(after.pragma('user_version', { simple: true })).toBe(9999)
    after.close()
  })

  it('anything else is shown as unexpected, with where to see the details', () => {
    const dialog = describeStartupError(new TypeError('x is not a function'), { dataDir: '/data' })
    expect(dialog.content).toContain('Unexpected error: x is not a function')
    expect(dialog.content).toContain('from a terminal')
    expect(describeStartupError('a string', { dataDir: '/data' }).content).toContain('Unexpected error: a string')
  })
})
