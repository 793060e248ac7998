// One station per data directory: a second one (in this process or as `gatehouse station`) is
// refused, naming the process that holds it, and leaves the directory as it was; a station killed
// with SIGKILL leaves no stale lock; the CLI's admin commands still open the store beside it.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, openCore } from '../station'
import { spawnStation } from '../../test-support/crash-harness'
import { DataDirInUseError } from './station-lock'
import { RUNNING_MARKER } from './startup-check'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-lock-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the data directory lock', () => {
  it('refuses a second station while one runs, names its pid, and is not fooled by a killed one', { timeout: 90_000 }, async () => {
    const first = await spawnStation(dir)
    try {
      const marker = readFileSync(join(dir, RUNNING_MARKER), 'utf8')
      let refused: unknown
      try {
        const second = await createStation({ dataDir: dir, env: {} })
        await second.close()
      } catch (err) {
        refused = err
      }
      expect(refused).toBeInstanceOf(DataDirInUseError)
      expect((refused as Error).message).toMatch(new RegExp(`in use by another station \\(pid ${first.pid}, running since `))
      // The running station's marker is untouched (the second did not claim an unclean shutdown)…
      expect(readFileSync(join(dir, RUNNING_MARKER), 'utf8')).toBe(marker)
      // …it still answers…
      expect((await fetch(`${first.base}/nothing`, { method: 'POST' })).status).toBe(404)
      // …and an admin command opens the store beside it.
      const cli = openCore({ dataDir: dir, env: {} })
      try {
        expect(cli.log.query({ limit: 5 }).length).toBeGreaterThan(0)
      } finally {
        cli.close()
      }

      // `gatehouse station` says the same in one line, and exits.
      const error = await spawnStation(dir).then(
        async (s) => {
          await s.stop('SIGTERM')
          return 'a second station started'
        },
        (err: Error) => err.message,
      )
      expect(error).toContain(`is in use by another station (pid ${first.pid}`)
    } finally {
      await first.stop('SIGKILL')
    }

    // Killed: the kernel dropped its lock with it. The next station opens the directory (and rightly
    // reports that the last one did not shut down cleanly).
    const next = await createStation({ dataDir: dir, env: {} })
    try {
      expect((await next.storeCheck).uncleanShutdown).toBe(true)
    } finally {
      await next.close()
    }
    const again = await createStation({ dataDir: dir, env: {} })
    expect((await again.storeCheck).uncleanShutdown).toBe(false)
    await again.close()
  })
})
