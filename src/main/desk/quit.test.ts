// The desk's one quit path: one close however many times quit is asked for, the exit only after
// the station has closed (its running marker gone), a failed or hung close still exits — once.
import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createStation, type Station } from '../station/station'
import { RUNNING_MARKER } from '../station/store/startup-check'
import { tempDir } from '../test-support/station'
import { createQuitPath } from './quit'

interface Recorder {
  exits: number[]
  logs: string[]
}
const recorder = (): Recorder => ({ exits: [], logs: [] })

/** A close the test finishes by hand. */
function heldClose(): { close: () => Promise<void>; calls: () => number; finish: () => void; fail: (err: Error) => void } {
  let calls = 0
  let finish = (): void => undefined
  let fail = (_err: Error): void => undefined
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve
    fail = reject
  })
  return {
    close: () => {
      calls++
      return done
    },
    calls: () => calls,
    finish: () => finish(),
    fail: (err) => fail(err),
  }
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the quit path', () => {
  it('closes once however often quit is asked for, and exits once, only after the close finished', async () => {
    const r = recorder()
    const held = heldClose()
    const path = createQuitPath({ close: held.close, exit: (code) => r.exits.push(code), watchdogMs: 60_000, log: (m) => r.logs.push(m) })
    expect(path.quitting).toBe(false)
    const first = path.quit()
    const second = path.quit() // the second Quit of the issue: it must not exit while the first is closing
    expect(path.quitting).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(held.calls()).toBe(1)
    expect(r.exits).toEqual([])
    held.finish()
    await Promise.all([first, second])
    expect(r.exits).toEqual([0])
    await path.quit()
    expect(held.calls()).toBe(1)
    expect(r.exits).toEqual([0])
  })

  it("keeps the first caller's exit code (a failed start quits with 1)", async () => {
    const r = recorder()
    const path = createQuitPath({
      close: () => Promise.resolve(),
      exit: (code) => r.exits.push(code),
      watchdogMs: 60_000,
      log: () => undefined,
    })
    void path.quit(1)
    await path.quit(0)
    expect(r.exits).toEqual([1])
  })

  it('exits with 1 and logs the stack when the close fails', async () => {
    const r = recorder()
    const held = heldClose()
    const path = createQuitPath({ close: held.close, exit: (code) => r.exits.push(code), watchdogMs: 60_000, log: (m) => r.logs.push(m) })
    const quitting = path.quit()
    held.fail(new Error('disk went away'))
    await quitting
    expect(r.exits).toEqual([1])
    expect(r.logs.join('\n')).toContain('disk went away')
  })

  it('exits with 1 when the close throws synchronously', async () => {
    const r = recorder()
    const path = createQuitPath({
      close: () => {
        throw new Error('boom')
      },
      exit: (code) => r.exits.push(code),
      watchdogMs: 60_000,
      log: (m) => r.logs.push(m),
    })
    await path.quit()
    expect(r.exits).toEqual([1])
  })

  it('gives up on a close that hangs when the watchdog fires, and a late finish does not exit again', async () => {
    const r = recorder()
    const held = heldClose()
    const path = createQuitPath({ close: held.close, exit: (code) => r.exits.push(code), watchdogMs: 100, log: (m) => r.logs.push(m) })
    await path.quit()
    expect(r.exits).toEqual([1])
    expect(r.logs.join('\n')).toMatch(/did not close within/)
    held.finish()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(r.exits).toEqual([1])
  })

  it('with a real station: a second quit while it closes waits, and at exit the store is closed cleanly', async () => {
    const dataDir = tempDir()
    dirs.push(dataDir)
    const station: Station = await createStation({ dataDir, env: {} })
    await station.listen('127.0.0.1', 0)
    expect(existsSync(join(dataDir, RUNNING_MARKER))).toBe(true)
    const r = recorder()
    let markerAtExit: boolean | null = null
    const path = createQuitPath({
      close: () => station.close(),
      exit: (code) => {
        markerAtExit = existsSync(join(dataDir, RUNNING_MARKER))
        r.exits.push(code)
      },
      watchdogMs: 60_000,
      log: (m) => r.logs.push(m),
    })
    void path.quit()
    await path.quit()
    expect(r.exits).toEqual([0])
    expect(markerAtExit).toBe(false)
    expect(station.db.open).toBe(false)
    expect(r.logs).toEqual([])
    // And the next start finds a clean shutdown.
    const again = await createStation({ dataDir, env: {} })
    try {
      expect((await again.storeCheck).uncleanShutdown).toBe(false)
    } finally {
      await again.close()
    }
  })
})
