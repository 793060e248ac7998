// The venue under SIGKILL: 4 zones × 8 readers and 5,000 attendees, concurrent signed scans, the
// station killed at a random moment, ten times over. After every restart each zone's inside count
// equals its granted entries minus exits by person, replayed from the decisions alone: a movement
// is committed with the decision that made it, or not at all.
import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { CRASH_SECRET, sleep, spawnStation } from '../../test-support/crash-harness'
import { occupancy } from '../../test-support/venue-replay'
import { signatureHeaderValue } from '../receiver/signature'
import { openCore, DB_FILE } from '../station'
import type { Direction } from '../../../shared/venue'

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-occupancy-stress-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ZONES = ['Hall', 'Gala', 'Expo', 'Lounge']
const DIRECTIONS: Direction[] = ['entry', 'entry', 'entry', 'exit', 'exit', 'exit', 'both', 'both']
const READERS = ZONES.flatMap((z) => DIRECTIONS.map((d, i) => ({ id: `${z}-${d}-${i}`, zone: z, direction: d })))
const PEOPLE = 5000

async function post(base: string, endpoint: string, body: string): Promise<number | null> {
  try {
    const res = await fetch(`${base}/webhook/v1/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', CRASH_SECRET, body) },
      body,
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return null
  }
}

describe('occupancy under SIGKILL', () => {
  it('inside = entries − exits by person after every kill', async () => {
    const first = await spawnStation(dir)
    const rows = Array.from({ length: PEOPLE }, (_, i) => ({
      external_id: `A${i}`,
      first_name: 'A',
      last_name: `${i}`,
      credential_value: `Q${i}`,
    }))
    expect(await post(first.base, 'attendee-sync', JSON.stringify({ team_slug: 'v', project_slug: 'venue', attendees: rows }))).toBe(200)
    for (const r of READERS) await post(first.base, 'access-event', JSON.stringify({ reader_id: r.id, credential_value: 'NOBODY' }))
    await first.stop('SIGTERM')
    // The rules set as an admin would, from another process's connection.
    const admin = openCore({ dataDir: dir, env: { GATEHOUSE_SECRET: CRASH_SECRET } })
    try {
      for (const r of READERS) await admin.venue.placeReader(r.id, { zone: r.zone, direction: r.direction })
      await admin.venue.configureZone('Hall', { anti_passback: true })
      await admin.venue.configureZone('Gala', { capacity: 400, hard: true })
    } finally {
      admin.close()
    }

    let sent = 0
    for (let round = 0; round < 10; round++) {
      const station = await spawnStation(dir)
      let stopped = false
      const worker = async (): Promise<void> => {
        while (!stopped) {
          const i = sent++
          const r = READERS[Math.floor(Math.random() * READERS.length)]!
          const body = JSON.stringify({
            reader_id: r.id,
            credential_value: `Q${Math.floor(Math.random() * PEOPLE)}`,
            timestamp: new Date(Date.now() - i).toISOString(),
          })
          if ((await post(station.base, 'access-event', body)) === null) return
        }
      }
      const load = Promise.all(Array.from({ length: 12 }, worker))
      await sleep(1000 + Math.random() * 2000)
      await station.stop('SIGKILL')
      stopped = true
      await load
      const db = new Database(join(dir, DB_FILE), { readonly: true })
      try {
        const o = occupancy(db)
        expect(o.kept, `round ${round}`).toEqual(o.replayed)
        expect(o.present, `round ${round}`).toEqual(o.replayed)
        console.log(`round ${round}: ${sent} scans sent; inside ${JSON.stringify(o.replayed)}`)
      } finally {
        db.close()
      }
    }
    // Load did happen (how much a loaded machine manages is not the point).
    expect(sent).toBeGreaterThan(200)
  })
})
