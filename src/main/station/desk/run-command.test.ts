// The desk boundary keeps what it knows: a coded error for what the operator can act on, and for
// anything unexpected an INTERNAL answer with the stack kept in the station's log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { createStation, type Station } from '../station'
import { createDeskCommands, type DeskCommands } from './commands'
import { runDeskCommand } from './run-command'
import { tempDir } from '../../test-support/station'

let dir: string
let station: Station
let commands: DeskCommands
const logged: Array<{ message: string; err: unknown }> = []
const log = (message: string, err: unknown): void => void logged.push({ message, err })

beforeEach(async () => {
  dir = tempDir('gatehouse-desk-run-')
  station = await createStation({ dataDir: dir, env: {} })
  commands = createDeskCommands({ station, receiverUrls: () => [] })
  logged.length = 0
})
afterEach(async () => {
  await station.close().catch(() => undefined)
  rmSync(dir, { recursive: true, force: true })
})

describe('runDeskCommand', () => {
  it('answers a known failure with its code and logs nothing', async () => {
    expect(await runDeskCommand(commands, 'logs:get', { id: 'log_999' }, log)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No log entry log_999' },
    })
    expect(await runDeskCommand(commands, 'logs:get', { id: 'x' }, log)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await runDeskCommand(commands, 'no:such', {}, log)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } })
    expect(logged).toEqual([])
  })

  it('logs an unexpected error with its stack before answering INTERNAL, which says nothing of internals', async () => {
    // A real fault of ours: the store's connection is gone under the command.
    station.db.close()
    const answer = await runDeskCommand(commands, 'logs:get', { id: 'log_1' }, log)
    expect(answer).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the station; see its log' } })
    expect(logged).toHaveLength(1)
    expect(logged[0]!.message).toBe('desk command logs:get failed')
    expect((logged[0]!.err as Error).stack).toMatch(/database connection is not open[\s\S]*at /)
  })
})
