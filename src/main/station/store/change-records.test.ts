// A desk change and its audit record commit together (change-records.ts): the record rides the
// change's first write, a rolled-back write takes the record (and its id) with it, and writes
// outside a change (the scans') carry nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { createStation, type Station } from '../station'
import { withChangeRecord, type ChangeRecord } from './change-records'
import { tempDir } from '../../test-support/station'

let dir: string
let station: Station
beforeEach(async () => {
  dir = tempDir('gatehouse-change-records-')
  station = await createStation({ dataDir: dir, env: {} })
})
afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const change = (): ChangeRecord => ({
  entry: { operator: 'Ada', role: 'admin', command: 'settings:set', source: 'electron', outcome: 'done', before: { x: 1 } },
  row: null,
})
const records = () => station.db.prepare('SELECT id, operator, command, before FROM audit_log ORDER BY id').all()
const setting = () => station.settings.get<number | null>('change_records_test', null)

describe('a change and its record', () => {
  it("are written by the change's first write, once, and the writes of others carry nothing", async () => {
    const c = change()
    await withChangeRecord(c, async () => {
      await station.queue.enqueue(() => station.settings.set('change_records_test', 1))
      await station.queue.enqueue(() => station.settings.set('change_records_test', 2))
    })
    await station.queue.enqueue(() => station.settings.set('change_records_test', 3))
    expect(records()).toEqual([{ id: c.row, operator: 'Ada', command: 'settings:set', before: '{"x":1}' }])
  })

  it('roll back together: a batch that fails leaves neither, and no id that would name the next record', async () => {
    const c = change()
    const storeFull = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    const failed = withChangeRecord(c, () => station.queue.enqueue(() => station.settings.set('change_records_test', 1)))
    // In the same batch: a store fault rolls the whole batch back.
    const fault = station.queue.enqueue(() => {
      throw storeFull
    })
    await expect(failed).rejects.toThrow('store unavailable')
    await expect(fault).rejects.toThrow('store unavailable')
    expect(setting()).toBeNull()
    expect(records()).toEqual([])
    expect(c.row).toBeNull()
    // Tried again, the change and its record commit together.
    await withChangeRecord(c, () => station.queue.enqueue(() => station.settings.set('change_records_test', 1)))
    expect(setting()).toBe(1)
    expect(records()).toEqual([expect.objectContaining({ id: c.row, operator: 'Ada' })])
  })
})
