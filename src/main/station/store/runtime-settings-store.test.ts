// What a running station published it uses is read through the one parser: a damaged or
// hand-edited record never gives the CLI a NaN timeout (it reads that setting's default).
import { afterEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDb, type Db } from './db'
import { createSettingsStore } from './settings'
import { createRuntimeSettingsStore } from './runtime-settings-store'
import { tempDir } from '../../test-support/station'

let dir: string | undefined
let db: Db | undefined
afterEach(() => {
  db?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  db = dir = undefined
})

describe('the published settings in use', () => {
  it('are parsed value by value; a bad one reads as its default, with the source "default"', () => {
    dir = tempDir('gatehouse-in-use-')
    db = openDb(join(dir, 'gatehouse.db'))
    const settings = createSettingsStore(db)
    const store = createRuntimeSettingsStore(settings)
    settings.set('station.runtime_in_use', {
      pid: process.pid,
      at: '2026-12-02T04:00:00.000Z',
      values: { gateway_timeout_seconds: 'abc', retention_days: 7, sync_body_limit_mb: 1e9 },
      sources: { gateway_timeout_seconds: 'env', retention_days: 'store', sync_body_limit_mb: 'store' },
    })
    const record = store.inUse()!
    expect(record.pid).toBe(process.pid)
    expect(record.values).toMatchObject({ gateway_timeout_seconds: 90, retention_days: 7, sync_body_limit_mb: 64 })
    expect(record.sources).toMatchObject({ gateway_timeout_seconds: 'default', retention_days: 'store', sync_body_limit_mb: 'default' })
    expect(Object.values(record.values).every(Number.isSafeInteger)).toBe(true)
    // Not a record at all: none.
    settings.set('station.runtime_in_use', { pid: 'x', values: {}, sources: {} })
    expect(store.inUse()).toBeNull()
  })
})
