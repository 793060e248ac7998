// attendee-sync through the real receiver: the three modes, skipped unchanged rows, per-row
// errors beside applied rows, the bucket invariant, bad envelopes, and one transaction per batch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { DB_FILE } from '../station'
import { openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'

let s: AccessStation
beforeEach(async () => {
  s = await openAccessStation()
})
afterEach(async () => {
  await s?.close()
})

const jane = { external_id: 'EXT-1', first_name: 'Jane', last_name: 'Smith', email: 'jane@example.com', attendee_type: 'general' }
const john = { external_id: 'EXT-2', first_name: 'John', last_name: 'Doe', credential_value: 'QR-2' }

/** The attendees of the store, by external_id, as the CLI and desk see them. */
const stored = () => new Map(s.station.access.attendees.search('', 1000).map((a) => [a.external_id, a]))

function expectBuckets(results: { created: number; updated: number; skipped: number; errors: unknown[] }, rows: number): void {
  expect(results.created + results.updated + results.skipped + results.errors.length).toBe(rows)
}

describe('attendee-sync modes', () => {
  it('upsert creates, then skips unchanged rows, then updates changed ones', async () => {
    const first = await s.send('attendee-sync', syncBody('upsert', [jane, john]))
    expect(first).toEqual({ status: 200, json: { success: true, results: { created: 2, updated: 0, skipped: 0, errors: [] } } })
    const again = await s.send('attendee-sync', syncBody('upsert', [jane, john]))
    expect(again.json.results).toEqual({ created: 0, updated: 0, skipped: 2, errors: [] })

    const before = stored().get('EXT-2')!
    const changed = await s.send(
      'attendee-sync',
      syncBody('upsert', [jane, { ...john, last_name: 'Dough' }, { external_id: 'EXT-3', first_name: 'Ann', last_name: 'Lee' }]),
    )
    expect(changed.json.results).toEqual({ created: 1, updated: 1, skipped: 1, errors: [] })
    const after = stored()
    expect(after.size).toBe(3)
    expect(after.get('EXT-2')).toMatchObject({ id: before.id, last_name: 'Dough', credential_value: 'QR-2' })
    // Defaults: type general; no credential → identified by external_id.
    expect(after.get('EXT-3')).toMatchObject({ attendee_type: 'general', credential_value: 'EXT-3', email: null, project: 'venue/expo' })
  })

  it('create only creates: an existing row is skipped even when it differs', async () => {
    await s.send('attendee-sync', syncBody('upsert', [jane]))
    const res = await s.send('attendee-sync', syncBody('create', [{ ...jane, first_name: 'Janet' }, john]))
    expect(res.json.results).toEqual({ created: 1, updated: 0, skipped: 1, errors: [] })
    expect(stored().get('EXT-1')!.first_name).toBe('Jane')
    expect(stored().get('EXT-2')!.first_name).toBe('John')
  })

  it('update only updates: an unknown row is skipped, not created', async () => {
    await s.send('attendee-sync', syncBody('upsert', [jane]))
    const res = await s.send('attendee-sync', syncBody('update', [{ ...jane, attendee_type: 'vip' }, john]))
    expect(res.json.results).toEqual({ created: 0, updated: 1, skipped: 1, errors: [] })
    const now = stored()
    expect(now.get('EXT-1')!.attendee_type).toBe('vip')
    expect(now.has('EXT-2')).toBe(false)
    // And an unchanged row under update is skipped too.
    expect((await s.send('attendee-sync', syncBody('update', [{ ...jane, attendee_type: 'vip' }]))).json.results).toMatchObject({
      updated: 0,
      skipped: 1,
    })
  })

  it('sync_mode defaults to upsert; the same external_id in two projects is two attendees', async () => {
    const { sync_mode: _omitted, ...noMode } = syncBody('upsert', [jane])
    expect((await s.send('attendee-sync', noMode)).json.results).toMatchObject({ created: 1 })
    expect((await s.send('attendee-sync', syncBody('upsert', [jane], 'gala'))).json.results).toMatchObject({ created: 1 })
    const all = s.station.access.attendees.search('EXT-1')
    expect(all.map((a) => a.project).sort()).toEqual(['venue/expo', 'venue/gala'])
  })
})

describe('attendee-sync per-row errors', () => {
  it('reports bad rows by index and external_id, applies the good ones, and every row lands in one bucket', async () => {
    await s.send('attendee-sync', syncBody('upsert', [jane]))
    const rows = [
      { ...jane, first_name: 'Janet' }, // 0: update
      { external_id: 'EXT-9', last_name: 'NoFirst' }, // 1: error, first_name missing
      john, // 2: create
      { ...john, external_id: 'EXT-4', email: 'not-an-email' }, // 3: error, email
      42, // 4: error, not an object
      { first_name: 'No', last_name: 'Id' }, // 5: error, no external_id
      { ...jane, first_name: 'Janet' }, // 6: unchanged after row 0 → skipped
    ]
    const res = await s.send('attendee-sync', syncBody('upsert', rows))
    expect(res.status).toBe(200)
    const { results } = res.json
    expectBuckets(results, rows.length)
    expect(results).toMatchObject({ created: 1, updated: 1, skipped: 1 })
    expect(results.errors).toEqual([
      { index: 1, external_id: 'EXT-9', errors: { first_name: [expect.stringMatching(/first_name/)] } },
      { index: 3, external_id: 'EXT-4', errors: { email: ['The email field must be a valid email address'] } },
      { index: 4, external_id: null, errors: { attendee: [expect.any(String)] } },
      { index: 5, external_id: null, errors: { external_id: ['The external_id field is required'] } },
    ])
    const now = stored()
    expect([...now.keys()].sort()).toEqual(['EXT-1', 'EXT-2'])
    expect(now.get('EXT-1')!.first_name).toBe('Janet')
    // The live hub hears the same counts.
    expect(s.seen('sync:completed').at(-1)).toMatchObject({
      project: 'venue/expo',
      sync_mode: 'upsert',
      created: 1,
      updated: 1,
      skipped: 1,
      errors: 4,
    })
  })

  it('the invariant holds on a larger mixed batch in every mode', async () => {
    const mixed = Array.from({ length: 300 }, (_, i) =>
      i % 7 === 0
        ? { external_id: `E-${i}`, first_name: '', last_name: 'X' }
        : { external_id: `E-${i % 150}`, first_name: `F${i}`, last_name: 'L' },
    )
    for (const mode of ['upsert', 'create', 'update', 'upsert']) {
      const { results } = (await s.send('attendee-sync', syncBody(mode, mixed))).json
      expectBuckets(results, mixed.length)
      expect(results.errors.map((e: { index: number }) => e.index)).toEqual(mixed.flatMap((_, i) => (i % 7 === 0 ? [i] : [])))
    }
  })
})

describe('attendee-sync envelope', () => {
  it('a body without attendees, or with an unknown sync_mode, is a 400 that applies nothing', async () => {
    const { attendees: _none, ...noRows } = syncBody('upsert', [jane])
    const missing = await s.send('attendee-sync', noRows)
    expect(missing).toEqual({
      status: 400,
      json: {
        error: 'Validation failed',
        message: 'The given data was invalid',
        errors: { attendees: ['The attendees field is required'] },
      },
    })
    const mode = await s.send('attendee-sync', syncBody('merge', [jane]))
    expect(mode.status).toBe(400)
    expect(Object.keys(mode.json.errors)).toEqual(['sync_mode'])
    expect(stored().size).toBe(0)
    expect(s.station.access.projects.list()).toEqual([])
  })

  it('the whole batch is one transaction: a row the store rejects rolls back the rows before it', async () => {
    await s.send('attendee-sync', syncBody('upsert', [jane]))
    // A real store-level refusal for one row, installed from a second connection.
    const other = new Database(join(s.dataDir, DB_FILE))
    other.exec(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON attendees WHEN NEW.external_id = 'BOOM' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    )
    other.close()
    const res = await s.send(
      'attendee-sync',
      syncBody('upsert', [{ ...jane, first_name: 'Janet' }, john, { external_id: 'BOOM', first_name: 'B', last_name: 'B' }]),
    )
    expect(res.status).toBe(500)
    expect(res.json.error).toBe('Internal Server Error')
    expect(JSON.stringify(res.json)).not.toMatch(/refused|SQLITE|trigger/i)
    const now = stored()
    expect([...now.keys()]).toEqual(['EXT-1'])
    expect(now.get('EXT-1')!.first_name).toBe('Jane')
    expect(s.seen('sync:completed')).toHaveLength(1)
  })
})
