// Access decisions nobody can bend, each break tried as a hostile integrator or a buggy gateway
// would, through the real receiver over a real socket: shared credentials, time travel, unbounded
// retries, registrations that change project, look-alike credentials and replayed liveness.
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { rmSync } from 'node:fs'
import { openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'
import { tempDir } from '../../test-support/station'
import { openDb } from '../store/db'
import { DB_FILE, type StationOptions } from '../station'

let s: AccessStation
afterEach(async () => {
  await s?.close()
})
const open = async (options: Partial<StationOptions> = {}): Promise<AccessStation> => (s = await openAccessStation(options))

/** A timestamp `seconds` from now, by the station's clock. */
const inSeconds = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString()
let tick = 0
const scan = (credential_value: string, reader_id = 'R-1', timestamp = inSeconds(-1 - ++tick / 1000)) =>
  s.send('access-event', { reader_id, credential_value, scan_type: 'qr', timestamp })
const cvent = (event_type: string, event_id: string, registration_id: string, timestamp: string, attendee?: Record<string, string>) =>
  s.send('cvent', { event_type, event_id, timestamp, data: { registration_id, ...(attendee ? { attendee } : {}) } })
const sync = (attendees: unknown[], project = 'expo') => s.send('attendee-sync', syncBody('upsert', attendees, project))
const openAlerts = (kind: string) => s.station.access.alerts.open().filter((a) => a.kind === kind)
const lastLog = () => s.station.log.query({ limit: 1 })[0]!

describe('one credential, one person', () => {
  it('a sync row cannot take a credential a Cvent registration holds: the error names the holder; cancelled stays denied', async () => {
    await open()
    await sync([{ external_id: 'EXT-0', first_name: 'First', last_name: 'Project' }])
    await cvent('registration.created', 'e1', 'REG-1', inSeconds(-60), { first_name: 'Cal', last_name: 'Cvent' })
    const res = await sync([
      { external_id: 'EXT-MAL', first_name: 'Mal', last_name: 'Lory', credential_value: 'REG-1' },
      { external_id: 'EXT-WS', first_name: 'White', last_name: 'Space', credential_value: 'REG-1\u00a0 ' },
      { external_id: 'EXT-OK', first_name: 'Ok', last_name: 'Kay', credential_value: 'QR-OK' },
    ])
    expect(res.json.results).toEqual({
      created: 1,
      updated: 0,
      skipped: 0,
      errors: [
        {
          index: 0,
          external_id: 'EXT-MAL',
          errors: { credential_value: ['The credential_value REG-1 is already the credential of attendee REG-1'] },
        },
        {
          index: 1,
          external_id: 'EXT-WS',
          errors: { credential_value: ['The credential_value REG-1 is already the credential of attendee REG-1'] },
        },
      ],
    })
    await cvent('registration.cancelled', 'e2', 'REG-1', inSeconds(-30))
    expect((await scan('REG-1')).json).toMatchObject({ access_granted: false, reason: 'cancelled', attendee: { first_name: 'Cal' } })
    expect((await scan('REG-1 ')).json).toMatchObject({ access_granted: false, reason: 'cancelled' })
  })

  it('two sync attendees cannot share a credential, nor take one by their external_id; changing to a free one works', async () => {
    await open()
    const first = await sync([
      { external_id: 'EXT-1', first_name: 'Ann', last_name: 'One', credential_value: 'QR-1' },
      { external_id: 'EXT-2', first_name: 'Bob', last_name: 'Two', credential_value: 'QR-1' },
      { external_id: 'QR-1', first_name: 'Cat', last_name: 'Three' },
    ])
    expect(first.json.results.created).toBe(1)
    expect(first.json.results.errors).toEqual([
      {
        index: 1,
        external_id: 'EXT-2',
        errors: { credential_value: ['The credential_value QR-1 is already the credential of attendee EXT-1'] },
      },
      { index: 2, external_id: 'QR-1', errors: { external_id: ['The external_id QR-1 is already the credential of attendee EXT-1'] } },
    ])
    expect(
      (await sync([{ external_id: 'EXT-2', first_name: 'Bob', last_name: 'Two', credential_value: 'QR-2' }])).json.results.created,
    ).toBe(1)
    // Ann moves to a new badge: QR-1 is free for Bob now.
    await sync([{ external_id: 'EXT-1', first_name: 'Ann', last_name: 'One', credential_value: 'QR-9' }])
    expect(
      (await sync([{ external_id: 'EXT-2', first_name: 'Bob', last_name: 'Two', credential_value: 'QR-1' }])).json.results.updated,
    ).toBe(1)
    expect((await scan('QR-1')).json).toMatchObject({ access_granted: true, attendee: { first_name: 'Bob' } })
    // The same credential in another project is another project's business.
    expect(
      (await sync([{ external_id: 'EXT-7', first_name: 'Dee', last_name: 'Gala', credential_value: 'QR-1' }], 'gala')).json.results.created,
    ).toBe(1)
  })

  it('a Cvent registration whose id is another attendee’s credential is refused; the credential is denied to both until an admin says whose it is', async () => {
    await open()
    await sync([
      { external_id: 'EXT-1', first_name: 'Sam', last_name: 'Sync', credential_value: 'REG-9' },
      { external_id: 'EXT-2', first_name: 'Other', last_name: 'Person', credential_value: 'QR-2' },
    ])
    expect((await scan('REG-9')).json.reason).toBe('granted')
    const refused = await cvent('registration.created', 'e1', 'REG-9', inSeconds(-5), { first_name: 'Cora', last_name: 'Cvent' })
    expect(refused).toEqual({
      status: 409,
      json: {
        error: 'Credential conflict',
        message: 'The registration id is already the credential of another attendee; nothing was applied',
        errors: { 'data.registration_id': ['REG-9 is already the credential of attendee EXT-1'] },
      },
    })
    expect(lastLog()).toMatchObject({
      status: 409,
      reason: 'registration.created: refused, REG-9 is already the credential of attendee EXT-1 (credential denied to both until resolved)',
    })
    // Nothing applied, the event not consumed (it may be sent again once resolved).
    expect(s.station.db.prepare('SELECT count(*) FROM cvent_events').pluck().get()).toBe(0)
    expect(s.station.access.attendees.search('Cora')).toEqual([])
    expect((await scan('REG-9')).json).toEqual({ success: true, access_granted: false, attendee: null, reason: 'credential_conflict' })
    expect((await scan('QR-2')).json.reason).toBe('granted')
    const [alert] = openAlerts('credential_conflict')
    expect(alert).toMatchObject({ subject: 'venue/expo', severity: 'critical' })
    expect(alert!.message).toContain('REG-9 (EXT-1, Cvent registration REG-9)')
    expect(s.seen('alert:changed')).toContainEqual(alert)
    // A sync cannot grab it meanwhile either.
    expect(
      (await sync([{ external_id: 'EXT-3', first_name: 'Grab', last_name: 'Ber', credential_value: 'REG-9' }])).json.results.errors,
    ).toHaveLength(1)

    // Survives a restart; then the admin decides: Sam keeps it.
    await s.restart()
    expect((await scan('REG-9')).json.reason).toBe('credential_conflict')
    const resolved = await s.station.access.resolveConflict('venue/expo', 'REG-9', 'EXT-1', 'Ada (admin)')
    expect(resolved).toMatchObject({ credential: 'REG-9', resolved_by: 'Ada (admin)' })
    expect((await scan('REG-9')).json).toMatchObject({ access_granted: true, attendee: { first_name: 'Sam' } })
    expect(openAlerts('credential_conflict')).toEqual([])
    // The same registration again is still refused, without reopening what the admin decided.
    expect((await cvent('registration.created', 'e1', 'REG-9', inSeconds(-5))).status).toBe(409)
    expect((await scan('REG-9')).json.reason).toBe('granted')
    expect(openAlerts('credential_conflict')).toEqual([])
  })
})

describe('a store with duplicates from an older version', () => {
  it('is upgraded without guessing: the duplicated credential is denied to both, an alert lists it from the start', async () => {
    const dir = tempDir('gatehouse-dupes-')
    try {
      const old = openDb(join(dir, DB_FILE), { targetVersion: 3 })
      old.exec(`
        INSERT INTO teams (id, slug, created_at) VALUES (1, 'venue', 0);
        INSERT INTO projects (id, team_id, slug, created_at) VALUES (1, 1, 'expo', 0);
        INSERT INTO settings (key, value) VALUES ('default_project_id', '1');
        INSERT INTO attendees (project_id, external_id, first_name, last_name, credential_value, created_at, updated_at)
          VALUES (1, 'EXT-1', 'Ann', 'One', 'BADGE-7', 0, 0), (1, 'EXT-2', 'Bob', 'Two', 'BADGE-7 ', 0, 0), (1, 'EXT-3', 'Cy', 'Three', 'BADGE-8', 0, 0);
      `)
      old.close()
      await open({ dataDir: dir })
      expect((await scan('BADGE-7')).json).toEqual({ success: true, access_granted: false, attendee: null, reason: 'credential_conflict' })
      expect((await scan('BADGE-8')).json.reason).toBe('granted')
      await expect
        .poll(() => openAlerts('credential_conflict').map((a) => a.message))
        .toEqual([
          expect.stringContaining(
            '1 credential in venue/expo is claimed by more than one person and denied to all of them until an admin says whose it is: BADGE-7 (EXT-1, EXT-2)',
          ),
        ])
      await s.station.access.resolveConflict('venue/expo', 'BADGE-7', 'EXT-2', 'Ada')
      expect((await scan('BADGE-7')).json).toMatchObject({ access_granted: true, attendee: { first_name: 'Bob' } })
      expect(openAlerts('credential_conflict')).toEqual([])
    } finally {
      await s.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('no time travel', () => {
  it('a Cvent event stamped 9999-12-31 cannot make the true cancellation after it "older"', async () => {
    await open()
    await cvent('registration.created', 'e1', 'REG-T', '9999-12-31T23:59:59Z', { first_name: 'Tim', last_name: 'Travel' })
    expect(lastLog()).toMatchObject({ clock_ahead: true, late: false })
    const [skew] = openAlerts('clock_skew')
    expect(skew).toMatchObject({ subject: 'Cvent', severity: 'warning' })
    expect(skew!.message).toMatch(/^Cvent's clock is \d+ years ahead of the station's/)
    expect((await scan('REG-T')).json.reason).toBe('granted')
    // The true cancellation, a moment later by the real clock.
    expect((await cvent('registration.cancelled', 'e2', 'REG-T', inSeconds(0))).json.message).toBe('Event processed')
    expect((await scan('REG-T')).json.reason).toBe('cancelled')
    // …and its clock agreeing again resolved the warning; raised once only.
    expect(openAlerts('clock_skew')).toEqual([])
    expect(s.station.access.alerts.recent().filter((a) => a.kind === 'clock_skew')).toHaveLength(1)
    // A far-future re-registration cannot revive it for ever after either: it orders as its arrival.
    await cvent('registration.created', 'e3', 'REG-T', '2099-01-01T00:00:00Z')
    await cvent('registration.cancelled', 'e4', 'REG-T', inSeconds(1))
    expect((await scan('REG-T')).json.reason).toBe('cancelled')
  })

  it('a gateway status stamped 2099 cannot hide a later true offline or disconnected reader', async () => {
    await open()
    await s.send('mqtt-gateway-status', {
      gateway_id: 'GW-F',
      status: 'online',
      readers: [{ reader_id: 'R-F', status: 'connected' }],
      timestamp: '2099-06-01T00:00:00Z',
    })
    expect(openAlerts('clock_skew')).toEqual([expect.objectContaining({ subject: 'GW-F' })])
    await new Promise((r) => setTimeout(r, 5))
    await s.send('mqtt-gateway-status', {
      gateway_id: 'GW-F',
      status: 'offline',
      readers: [{ reader_id: 'R-F', status: 'disconnected' }],
      timestamp: inSeconds(0),
    })
    const gw = s.station.access.gateways.gateway('GW-F')!
    expect(gw).toMatchObject({ status: 'offline', health: 'offline' })
    expect(gw.readers[0]).toMatchObject({ status: 'disconnected' })
    expect(openAlerts('gateway_offline')).toHaveLength(1)
    expect(openAlerts('reader_disconnected')).toHaveLength(1)
    expect(openAlerts('clock_skew')).toEqual([])
  })

  it('a scan stamped far ahead cannot push its reader’s last scan into the future', async () => {
    await open()
    await scan('NOBODY', 'R-FUT', '2099-01-01T00:00:00Z')
    expect(lastLog()).toMatchObject({ clock_ahead: true })
    expect(s.station.access.gateways.reader('R-FUT')!.last_scan).toBeLessThanOrEqual(Date.now())
    expect(openAlerts('clock_skew')).toEqual([expect.objectContaining({ subject: 'Reader R-FUT' })])
  })
})

describe('bounded retries', () => {
  const seed = () => sync([{ external_id: 'EXT-J', first_name: 'Jo', last_name: 'Retry', credential_value: 'QR-J' }])

  it('a retried grant at a reader disabled since is denied', async () => {
    await open()
    await seed()
    const ts = inSeconds(-1)
    expect((await scan('QR-J', 'R-D', ts)).json.reason).toBe('granted')
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('R-D', { enabled: false }))
    expect((await scan('QR-J', 'R-D', ts)).json).toMatchObject({ access_granted: false, reason: 'reader_disabled' })
  })

  it('within the window a retry is not defeated by anti-passback it caused itself; a stuck clock after the window is', async () => {
    await open({ config: { retryWindowSeconds: 1 } })
    await seed()
    await scan('QR-J', 'R-A')
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('R-A', { anti_passback_seconds: 600 }))
    const stuck = inSeconds(-1)
    const first = await scan('QR-J', 'R-A', stuck)
    expect(first.json.reason).toBe('duplicate_scan')
    // A grant, then its retry inside the window: the grant again (not its own anti-passback).
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('R-A', { anti_passback_seconds: null }))
    const stuck2 = inSeconds(-2)
    expect((await scan('QR-J', 'R-B', stuck2)).json.reason).toBe('granted')
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('R-B', { anti_passback_seconds: 600 }))
    expect((await scan('QR-J', 'R-B', stuck2)).json.reason).toBe('granted')
    const counted = s.station.db.prepare("SELECT count(*) FROM decisions WHERE reader_id = 'R-B'").pluck().get()
    expect(counted).toBe(1)
    // A gateway whose clock is stuck sends the same timestamp again after the window: decided afresh, counted.
    await new Promise((r) => setTimeout(r, 1100))
    const later = await scan('QR-J', 'R-B', stuck2)
    expect(later.json).toMatchObject({ access_granted: false, reason: 'duplicate_scan' })
    expect(s.station.db.prepare("SELECT count(*) FROM decisions WHERE reader_id = 'R-B'").pluck().get()).toBe(2)
    expect(s.seen('access:decided').at(-1)).toMatchObject({ reader_id: 'R-B', reason: 'duplicate_scan' })
  })

  it('the window counts from the first decision, also across a restart', async () => {
    await open({ config: { retryWindowSeconds: 1 } })
    await seed()
    const ts = inSeconds(-1)
    expect((await scan('QR-J', 'R-1', ts)).json.reason).toBe('granted')
    await s.restart()
    await new Promise((r) => setTimeout(r, 1100))
    await cvent('registration.cancelled', 'c1', 'EXT-J', inSeconds(0))
    // EXT-J is a sync attendee of venue/expo; the Cvent project is the default one: the same project.
    expect((await scan('QR-J', 'R-1', ts)).json.reason).toBe('cancelled')
  })
})

describe('registrations keep their project', () => {
  it('after the Cvent project changes, a cancellation still lands where the registration was created', async () => {
    await open()
    await sync([{ external_id: 'E-A', first_name: 'A', last_name: 'A' }], 'expo')
    await sync([{ external_id: 'E-B', first_name: 'B', last_name: 'B' }], 'gala')
    await cvent('registration.created', 'e1', 'REG-P', inSeconds(-60), { first_name: 'Pia', last_name: 'Project' })
    expect((await scan('REG-P')).json.reason).toBe('granted')
    const gala = s.station.access.projects.find('venue/gala')!
    await s.station.queue.enqueue(() => s.station.access.projects.setCvent(gala))
    await s.restart()
    await cvent('registration.cancelled', 'e2', 'REG-P', inSeconds(0))
    expect((await scan('REG-P')).json.reason).toBe('cancelled')
    expect(s.station.access.attendees.search('REG-P').map((a) => [a.project, a.status])).toEqual([['venue/expo', 'cancelled']])
    // A new registration goes to the new Cvent project.
    await cvent('registration.created', 'e3', 'REG-NEW', inSeconds(0))
    expect(s.station.access.attendees.search('REG-NEW').map((a) => a.project)).toEqual(['venue/gala'])
  })
})

describe('look-alike credentials', () => {
  it('NFD and NFC, NBSP and spaces around: one credential, one person', async () => {
    await open()
    await sync([{ external_id: 'EXT-E', first_name: 'Zoë', last_name: 'Léger', credential_value: '\u00a0CAFÉ-1 ' }])
    expect((await scan('CAFE\u0301-1')).json).toMatchObject({ access_granted: true, attendee: { first_name: 'Zoë' } })
    expect(
      (await sync([{ external_id: 'EXT-F', first_name: 'Fake', last_name: 'Zoe', credential_value: 'CAFE\u0301-1' }])).json.results.errors,
    ).toHaveLength(1)
    expect(s.station.db.prepare("SELECT credential FROM attendees WHERE external_id = 'EXT-E'").pluck().get()).toBe('CAFÉ-1')
  })

  it.each([
    ['NUL', 'QR\u00001'],
    ['ESC', 'QR\u001b[31m1'],
    ['zero-width space', 'QR\u200b1'],
    ['bidi override', 'QR\u202e1'],
    ['BOM', '\ufeffQR1'],
  ])('a credential with a %s is refused with a 400 field error on every endpoint', async (_name, bad) => {
    await open()
    const message = 'must not contain control or invisible formatting characters (NUL, ESC, zero-width, bidi overrides)'
    const scanned = await s.send('access-event', { reader_id: 'R-1', credential_value: bad })
    expect(scanned).toMatchObject({ status: 400, json: { errors: { credential_value: [`The credential_value field ${message}`] } } })
    const synced = await sync([{ external_id: 'X', first_name: 'A', last_name: 'B', credential_value: bad }])
    expect(synced.json.results.errors).toEqual([
      { index: 0, external_id: 'X', errors: { credential_value: [`The credential_value field ${message}`] } },
    ])
    const reg = await cvent('registration.created', 'e', bad, inSeconds(0))
    expect(reg).toMatchObject({ status: 400, json: { errors: { 'data.registration_id': [`The data.registration_id field ${message}`] } } })
    const status = await s.send('mqtt-gateway-status', { gateway_id: bad, status: 'online' })
    expect(status).toMatchObject({ status: 400, json: { errors: { gateway_id: [`The gateway_id field ${message}`] } } })
    expect(s.station.db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(0)
  })

  it('names are checked too: a bidi override is refused; ZWJ and ZWNJ, which some spellings need, are kept', async () => {
    await open()
    const res = await sync([
      { external_id: 'EXT-1', first_name: 'Ad\u202emin', last_name: 'X' },
      { external_id: 'EXT-2', first_name: 'می\u200cخواهم', last_name: 'X' },
    ])
    expect(res.json.results.created).toBe(1)
    expect(res.json.results.errors).toEqual([
      {
        index: 0,
        external_id: 'EXT-1',
        errors: {
          first_name: [
            'The first_name field must not contain control or invisible formatting characters (NUL, ESC, zero-width, bidi overrides)',
          ],
        },
      },
    ])
    const bad = await cvent('registration.created', 'e', 'REG-N', inSeconds(0), { first_name: 'Eve\u0007' })
    expect(bad.status).toBe(400)
  })
})

describe('liveness needs fresh bytes', () => {
  const body = { gateway_id: 'GW-R', status: 'online', readers: [{ reader_id: 'R-R', status: 'connected' }] }

  it('a byte-identical status report refreshes nothing, also after a restart; the offline alert says why', async () => {
    await open({ config: { gatewayTimeoutSeconds: 60 } })
    expect((await s.send('mqtt-gateway-status', body)).status).toBe(200)
    const seen = s.station.access.gateways.gateway('GW-R')!.last_seen
    await new Promise((r) => setTimeout(r, 5))
    expect((await s.send('mqtt-gateway-status', body)).json).toEqual({ success: true, message: 'Status updated' })
    expect(lastLog().reason).toMatch(/^repeat: byte-identical to a report received \d+ s ago; not proof of life$/)
    expect(s.station.access.gateways.gateway('GW-R')!.last_seen).toBe(seen)
    await s.restart()
    await s.send('mqtt-gateway-status', body)
    expect(lastLog().reason).toMatch(/^repeat:/)
    expect(s.station.access.gateways.gateway('GW-R')!.last_seen).toBe(seen)
    await s.station.access.sweep(Date.parse(seen) + 61_000)
    expect(openAlerts('gateway_offline')[0]!.message).toMatch(/only byte-identical repeats of an earlier report .*not proof of life/)
    // Fresh bytes (a timestamp) are proof of life again.
    await s.send('mqtt-gateway-status', { ...body, timestamp: inSeconds(0) })
    expect(openAlerts('gateway_offline')).toEqual([])
    expect(Date.parse(s.station.access.gateways.gateway('GW-R')!.last_seen)).toBeGreaterThan(Date.parse(seen))
  })

  it('a retried scan is no proof of life for its gateway either', async () => {
    await open({ config: { gatewayTimeoutSeconds: 60 } })
    await s.send('mqtt-gateway-status', { ...body, timestamp: inSeconds(-10) })
    const ts = inSeconds(-5)
    await scan('X', 'R-R', ts)
    const seen = s.station.access.gateways.gateway('GW-R')!.last_seen
    await new Promise((r) => setTimeout(r, 5))
    await scan('X', 'R-R', ts)
    expect(s.station.access.gateways.gateway('GW-R')!.last_seen).toBe(seen)
  })
})
