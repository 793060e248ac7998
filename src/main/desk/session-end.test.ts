// Windows ending the session gives the desk no quit events and maybe no time: by the moment the
// session-end handler returns, the store is closed and the marker gone, with every acknowledged
// scan on disk; the orderly close it started still completes if the process lives on.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createStation, type Station } from '../station/station'
import { RUNNING_MARKER } from '../station/store/startup-check'
import { post, signGxp, tempDir } from '../test-support/station'
import { endSessionNow } from './session-end'

const SECRET = 'session-end-secret'
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function scan(url: string, credential: string): Promise<number> {
  const body = JSON.stringify({ reader_id: 'R1', credential_value: credential, timestamp: new Date().toISOString() })
  return (await post(url, '/webhook/v1/access-event', body, { 'x-gxp-signature': signGxp(SECRET, body) })).status
}

describe('the end of a Windows session', () => {
  it('closes the store before the handler returns, and the next start finds it clean with every scan', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const station: Station = await createStation({ dataDir, env: { GATEHOUSE_SECRET: SECRET } })
    const { port } = await station.listen('127.0.0.1', 0)
    const url = `http://127.0.0.1:${port}`
    for (let i = 0; i < 5; i++) expect(await scan(url, `BADGE-${i}`)).toBe(200)
    expect(existsSync(join(dataDir, RUNNING_MARKER))).toBe(true)

    let quitCalls = 0
    let orderly: Promise<void> = Promise.resolve()
    endSessionNow(station, () => {
      quitCalls++
      orderly = station.close()
      return orderly
    })
    // Synchronously, as Windows may end the process right here:
    expect(quitCalls).toBe(1)
    expect(station.db.open).toBe(false)
    expect(existsSync(join(dataDir, RUNNING_MARKER))).toBe(false)
    // If the process is granted the time, the orderly close runs to its end without error.
    await expect(orderly).resolves.toBeUndefined()

    const again = await createStation({ dataDir, env: { GATEHOUSE_SECRET: SECRET } })
    try {
      expect((await again.storeCheck).uncleanShutdown).toBe(false)
      const decided = again.db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }
      expect(decided.n).toBe(5)
    } finally {
      await again.close()
    }
  })

  it('during start-up, with no station yet, only starts the quit', () => {
    let quitCalls = 0
    endSessionNow(null, () => {
      quitCalls++
      return Promise.resolve()
    })
    expect(quitCalls).toBe(1)
  })
})
