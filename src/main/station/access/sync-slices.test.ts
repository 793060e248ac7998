// attendee-sync applied in slices (access/sync-applier.ts) through the real receiver: the same
// answer and store as one transaction; scans answered between slices; a slice that fails undoes
// the slices before it; a Cvent event waits for the sync; large bodies parsed off the event loop
// give the same value as the receiver's own parser.
import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { DB_FILE } from '../station'
import { at, openAccessStation, syncBody, type AccessStation, type Sent } from '../../test-support/access-station'
import { WORKER_PARSE_BYTES } from '../receiver/json-worker'

const open: AccessStation[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()))
})
async function station(syncSliceRows?: number): Promise<AccessStation> {
  const s = await openAccessStation({ syncSliceRows })
  open.push(s)
  return s
}

const guest = (i: number, extra: Record<string, unknown> = {}) => ({
  external_id: `EXT-${i}`,
  first_name: 'Guest',
  last_name: `Number ${i}`,
  credential_value: `QR-${i}`,
  ...extra,
})

/** The attendees as stored, without the clock columns (two stations never share a clock). */
const stored = (s: AccessStation) =>
  s.station.db
    .prepare(
      `SELECT project_id, external_id, first_name, last_name, email, attendee_type, credential_value, credential_blocked, cancelled, source
       FROM attendees ORDER BY id`,
    )
    .all()
const journal = (s: AccessStation) => ({
  runs: s.station.db.prepare('SELECT count(*) FROM sync_runs').pluck().get(),
  slices: s.station.db.prepare('SELECT count(*) FROM sync_undo').pluck().get(),
})
const until = async (what: () => boolean): Promise<void> => {
  while (!what()) await new Promise((r) => setTimeout(r, 2))
}

describe('attendee-sync in slices', () => {
  it('answers and stores exactly what one transaction does, journal gone afterwards', async () => {
    const sliced = await station(3)
    const whole = await station()
    const batches = [
      syncBody(
        'upsert',
        Array.from({ length: 20 }, (_, i) => guest(i)),
      ),
      // Updates in every slice; a credential taken in slice 1 claimed again in slice 3; a bad row;
      // a row whose credential another row of this batch frees later (refused: not free yet).
      syncBody('upsert', [
        guest(0, { first_name: 'Changed' }),
        guest(1, { credential_value: 'QR-NEW' }),
        guest(2),
        guest(30),
        guest(31, { credential_value: 'QR-NEW' }),
        { external_id: 'BAD', first_name: '' },
        guest(32, { credential_value: 'QR-5' }),
        guest(5, { credential_value: 'QR-55' }),
        guest(8, { last_name: 'Eight' }),
      ]),
      syncBody('update', [guest(40), guest(3, { email: 'three@example.com' })]),
      syncBody('create', [guest(4, { first_name: 'Nope' }), guest(41)]),
    ]
    for (const batch of batches) {
      const a = await sliced.send('attendee-sync', batch)
      const b = await whole.send('attendee-sync', batch)
      expect(a).toEqual(b)
      expect(a.status).toBe(200)
    }
    expect(stored(sliced)).toEqual(stored(whole))
    expect(stored(sliced).length).toBe(22)
    expect(journal(sliced)).toEqual({ runs: 0, slices: 0 })
    // One log entry per sync, whatever the number of slices.
    expect(sliced.station.db.prepare("SELECT count(*) FROM webhook_log WHERE endpoint LIKE '%attendee-sync'").pluck().get()).toBe(4)
  })

  it('answers scans between its slices, before the sync itself is answered', async () => {
    const s = await station(1)
    let syncAnswered = false
    const sync = s
      .send(
        'attendee-sync',
        syncBody(
          'upsert',
          Array.from({ length: 600 }, (_, i) => guest(i)),
        ),
      )
      .then((r) => {
        syncAnswered = true
        return r
      })
    await until(() => (journal(s).slices as number) > 0)
    const scans: Sent[] = []
    for (let i = 0; i < 3; i++) {
      scans.push(await s.send('access-event', { reader_id: 'R-1', credential_value: 'QR-0', timestamp: at(i) }))
      // Each scan was decided and stored while the sync was still being applied.
      expect(syncAnswered).toBe(false)
    }
    expect(scans.map((r) => r.status)).toEqual([200, 200, 200])
    expect((await sync).json.results).toMatchObject({ created: 600, errors: [] })
    expect(journal(s)).toEqual({ runs: 0, slices: 0 })
  })

  it('undoes the slices already committed when a later one fails', async () => {
    const s = await station(3)
    await s.send(
      'attendee-sync',
      syncBody(
        'upsert',
        Array.from({ length: 6 }, (_, i) => guest(i)),
      ),
    )
    const before = stored(s)
    // A real store-level refusal of one row, installed from a second connection.
    const other = new Database(join(s.dataDir, DB_FILE))
    other.exec(
      `CREATE TRIGGER refuse_boom BEFORE INSERT ON attendees WHEN NEW.external_id = 'BOOM' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    )
    other.close()
    const rows = [
      guest(0, { first_name: 'Changed' }),
      guest(1, { credential_value: 'QR-MOVED' }),
      guest(10),
      guest(11, { credential_value: 'QR-1' }),
      guest(2, { last_name: 'Two' }),
      guest(12),
      guest(13),
      { external_id: 'BOOM', first_name: 'B', last_name: 'B' },
    ]
    const res = await s.send('attendee-sync', syncBody('upsert', rows))
    expect(res.status).toBe(500)
    expect(stored(s)).toEqual(before)
    expect(journal(s)).toEqual({ runs: 0, slices: 0 })
    // The credential an undone change took back works again.
    const scan = await s.send('access-event', { reader_id: 'R-1', credential_value: 'QR-1', timestamp: at(1) })
    expect(scan.json).toMatchObject({ access_granted: true, attendee: { first_name: 'Guest', last_name: 'Number 1' } })
  })

  it('makes a Cvent event wait for a sync being applied; the cancellation is applied after it and kept', async () => {
    const s = await station(1)
    const john = { first_name: 'John', last_name: 'Doe', email: 'john@example.com' }
    const created = await s.send('cvent', {
      event_type: 'registration.created',
      event_id: 'evt_1',
      timestamp: at(0),
      data: { registration_id: 'REG-1', attendee: john },
    })
    expect(created.status).toBe(200)
    const order: string[] = []
    // The same attendee (REG-1 of the default project) renamed by a sync of 400 rows.
    const rows = [...Array.from({ length: 399 }, (_, i) => guest(i)), { external_id: 'REG-1', first_name: 'Johnny', last_name: 'Doe' }]
    const sync = s.send('attendee-sync', syncBody('upsert', rows, 'default', 'default')).then((r) => (order.push('sync'), r))
    await until(() => (journal(s).slices as number) > 0)
    const cancel = s
      .send('cvent', { event_type: 'registration.cancelled', event_id: 'evt_2', timestamp: at(10), data: { registration_id: 'REG-1' } })
      .then((r) => (order.push('cvent'), r))
    const [synced, cancelled] = await Promise.all([sync, cancel])
    expect(order).toEqual(['sync', 'cvent'])
    expect(synced.json.results).toMatchObject({ created: 399, updated: 1, errors: [] })
    expect(cancelled).toEqual({ status: 200, json: { success: true, message: 'Event processed' } })
    const reg = s.station.access.attendees.search('REG-1').find((a) => a.external_id === 'REG-1')
    expect(reg).toMatchObject({ first_name: 'Johnny', status: 'cancelled' })
    const scan = await s.send('access-event', { reader_id: 'R-1', credential_value: 'REG-1', timestamp: at(20) })
    expect(scan.json).toMatchObject({ access_granted: false })
  })
})

describe('large bodies parsed off the event loop', () => {
  // Padding rows (external ids of 100 characters) take a body past the worker's threshold.
  const padding = (n: number) => Array.from({ length: n }, (_, i) => guest(1000 + i, { last_name: 'x'.repeat(90) }))

  it('gives the value the receiver would: the last of duplicate keys, no __proto__ or constructor taken', async () => {
    const s = await station()
    const rows = JSON.stringify(padding(2_600)).slice(1, -1)
    const tricky =
      '{"external_id":"DUP","first_name":"First","first_name":"Last","last_name":"L","__proto__":{"attendee_type":"vip"},"constructor":{"prototype":{"x":1}}}'
    const raw = `{"team_slug":"venue","project_slug":"expo","sync_mode":"upsert","attendees":[${tricky},${rows}],"sync_mode":"create"}`
    expect(Buffer.byteLength(raw)).toBeGreaterThan(WORKER_PARSE_BYTES)
    const res = await s.sendRaw('attendee-sync', raw)
    expect(res.status).toBe(200)
    expect(res.json.results).toMatchObject({ created: 2_601, errors: [] })
    const dup = s.station.access.attendees.search('DUP').find((a) => a.external_id === 'DUP')
    expect(dup).toMatchObject({ first_name: 'Last', attendee_type: 'general' })
    // The last sync_mode was the one applied (create): a second send with changes skips them.
    const again = await s.sendRaw('attendee-sync', raw.replace('"first_name":"Last"', '"first_name":"Other"'))
    expect(again.json.results).toMatchObject({ created: 0, skipped: 2_601 })
  })

  it('checks a large envelope as the schema does (its rows one by one as they are applied)', async () => {
    const s = await station()
    const rows = JSON.stringify(padding(2_600)).slice(1, -1)
    const bad = await s.sendRaw('attendee-sync', `{"team_slug":"venue","project_slug":"Not A Slug!","attendees":[${rows}]}`)
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.json.errors)).toEqual(['project_slug'])
    expect(stored(s)).toEqual([])
    // No sync_mode: the default (upsert) applies, and every row is applied.
    const ok = await s.sendRaw('attendee-sync', `{"team_slug":"venue","project_slug":"expo","attendees":[${rows},{"external_id":7}]}`)
    expect(ok.status).toBe(200)
    expect(ok.json.results).toMatchObject({ created: 2_600, errors: [{ index: 2_600, external_id: null }] })
  })

  it("refuses a large body that is not JSON with the receiver's 400, and stores nothing", async () => {
    const s = await station()
    const raw = `{"team_slug":"venue","project_slug":"expo","attendees":[${JSON.stringify(padding(2_600)).slice(1, -1)},]}`
    expect(Buffer.byteLength(raw)).toBeGreaterThan(WORKER_PARSE_BYTES)
    const res = await s.sendRaw('attendee-sync', raw)
    expect(res.status).toBe(400)
    expect(res.json.errors).toEqual({ body: ['The body must be valid JSON'] })
    expect(stored(s)).toEqual([])
  })
})
