// Checkpoints run on a worker thread: committed pages reach the database file while the station
// keeps writing, without its own connection checkpointing (its automatic threshold is far off).
import { afterEach, expect, it } from 'vitest'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { createStation, DB_FILE, type Station } from '../station'
import { signatureHeaderValue } from '../receiver/signature'
import { tempDir, eventually } from '../../test-support/station'
import { BACKSTOP_PAGES } from './checkpointer'

let station: Station | undefined
afterEach(async () => {
  await station?.close()
})

it('copies the WAL into the database file from a worker thread', async () => {
  const dir = tempDir()
  station = await createStation({ dataDir: dir, config: { rateLimitPerMinute: 0 } })
  expect(station.db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES)
  const dbFile = join(dir, DB_FILE)
  const before = statSync(dbFile).size
  const attendees = Array.from({ length: 20_000 }, (_, i) => ({
    external_id: `E-${i}`,
    first_name: 'Ada',
    last_name: `Lovelace ${i}`,
    credential_value: `BADGE-${i}-${'x'.repeat(60)}`,
  }))
  const body = JSON.stringify({ team_slug: 't', project_slug: 'p', attendees })
  const key = station.secrets.info('attendee-sync').secret
  const res = await station.receiver.inject({
    method: 'POST',
    url: '/webhook/v1/attendee-sync',
    headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
    payload: body,
  })
  expect(res.statusCode).toBe(200)
  // Well under the backstop: only the worker can have moved these pages into the main file.
  const walPages = statSync(`${dbFile}-wal`).size / 4096
  expect(walPages).toBeLessThan(BACKSTOP_PAGES)
  await eventually(() => statSync(dbFile).size > before + 2 * 1024 * 1024, 5000)
})
