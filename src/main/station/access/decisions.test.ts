// access-event through the real receiver: every decision reason, the documented response body,
// reader projects, and a gateway's retry of a scan answered with the first decision, counted once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ReaderSettings } from './gateways'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'

let s: AccessStation
let tick = 0
beforeEach(async () => {
  s = await openAccessStation()
  const seeded = await s.send(
    'attendee-sync',
    syncBody('upsert', [
      { external_id: 'EXT-JANE', first_name: 'Jane', last_name: 'Smith', credential_value: 'CRED-JANE' },
      { external_id: 'EXT-VIC', first_name: 'Vic', last_name: 'Tor', attendee_type: 'vip', credential_value: 'CRED-VIC' },
      { external_id: 'EXT-NOC', first_name: 'Noc', last_name: 'Red' },
    ]),
  )
  expect(seeded.json.results.created).toBe(3)
})
afterEach(async () => {
  await s?.close()
})

/** A scan with a fresh timestamp (so it is never taken for a retry) unless one is given. */
const scan = (reader_id: string, credential_value: string, timestamp = at(++tick)) =>
  s.send('access-event', { reader_id, credential_value, scan_type: 'barcode', timestamp })

const configure = (readerId: string, settings: ReaderSettings) =>
  s.station.queue.enqueue(() => s.station.access.gateways.configureReader(readerId, settings))

const decisionRows = () => s.station.db.prepare('SELECT reader_id, credential_value, granted, reason FROM decisions ORDER BY id').all()
const decisionIds = () => s.station.db.prepare('SELECT id FROM decisions ORDER BY id').pluck().all() as number[]

const id = (externalId: string): number => s.station.access.attendees.search(externalId)[0]!.id

describe('access decisions', () => {
  it('granted: the documented body plus the reason, stored and pushed to the hub', async () => {
    const res = await scan('R-1', 'CRED-JANE')
    expect(res).toEqual({
      status: 200,
      json: {
        success: true,
        access_granted: true,
        attendee: { id: id('EXT-JANE'), first_name: 'Jane', last_name: 'Smith' },
        reason: 'granted',
      },
    })
    expect(Object.keys(res.json)).toEqual(['success', 'access_granted', 'attendee', 'reason'])
    expect(decisionRows()).toEqual([{ reader_id: 'R-1', credential_value: 'CRED-JANE', granted: 1, reason: 'granted' }])
    expect(s.seen('access:decided')).toEqual([
      expect.objectContaining({ reader_id: 'R-1', access_granted: true, reason: 'granted', project: 'venue/expo', scanned_at: at(tick) }),
    ])
    // The scan refreshes the reader's and the attendee's last scan.
    expect(s.station.access.gateways.reader('R-1')!.last_scan).toBe(Date.parse(at(tick)))
    expect(s.station.access.attendees.search('EXT-JANE')[0]!.last_scan_at).not.toBeNull()
  })

  it('an attendee without a credential_value is identified by its external_id', async () => {
    const res = await scan('R-1', 'EXT-NOC')
    expect(res.json).toMatchObject({ access_granted: true, reason: 'granted', attendee: { first_name: 'Noc' } })
    // …but one with a credential is not let in by its external_id.
    expect((await scan('R-1', 'EXT-JANE')).json).toEqual({
      success: true,
      access_granted: false,
      attendee: null,
      reason: 'unknown_credential',
    })
  })

  it('unknown_credential: attendee is null', async () => {
    const res = await scan('R-1', 'NOBODY')
    expect(res).toEqual({ status: 200, json: { success: true, access_granted: false, attendee: null, reason: 'unknown_credential' } })
    expect(decisionRows()).toEqual([{ reader_id: 'R-1', credential_value: 'NOBODY', granted: 0, reason: 'unknown_credential' }])
  })

  it('cancelled: a Cvent cancellation denies every later scan, naming the attendee', async () => {
    await s.send('cvent', {
      event_type: 'registration.created',
      event_id: 'e1',
      timestamp: at(0),
      data: { registration_id: 'REG-1', attendee: { first_name: 'Cal', last_name: 'Cel' } },
    })
    expect((await scan('R-1', 'REG-1')).json.reason).toBe('granted')
    await s.send('cvent', { event_type: 'registration.cancelled', event_id: 'e2', timestamp: at(1), data: { registration_id: 'REG-1' } })
    const res = await scan('R-1', 'REG-1')
    expect(res.json).toEqual({
      success: true,
      access_granted: false,
      attendee: { id: id('REG-1'), first_name: 'Cal', last_name: 'Cel' },
      reason: 'cancelled',
    })
  })

  it('reader_disabled: a disabled reader grants nobody; enabled again, it does', async () => {
    await scan('R-2', 'CRED-VIC')
    await configure('R-2', { enabled: false })
    expect((await scan('R-2', 'CRED-JANE')).json).toMatchObject({ access_granted: false, reason: 'reader_disabled' })
    expect((await scan('R-2', 'NOBODY')).json).toMatchObject({ access_granted: false, reason: 'reader_disabled' })
    await configure('R-2', { enabled: true })
    expect((await scan('R-2', 'CRED-JANE')).json).toMatchObject({ access_granted: true, reason: 'granted' })
  })

  it('not_permitted: a reader restricted to some attendee types', async () => {
    await scan('R-VIP', 'CRED-VIC')
    await configure('R-VIP', { allowed_types: ['vip', 'staff'] })
    expect((await scan('R-VIP', 'CRED-JANE')).json).toEqual({
      success: true,
      access_granted: false,
      attendee: { id: id('EXT-JANE'), first_name: 'Jane', last_name: 'Smith' },
      reason: 'not_permitted',
    })
    expect((await scan('R-VIP', 'CRED-VIC')).json).toMatchObject({ access_granted: true, reason: 'granted' })
    // Lifting the restriction lets everyone through again.
    await configure('R-VIP', { allowed_types: null })
    expect((await scan('R-VIP', 'CRED-JANE')).json.reason).toBe('granted')
  })

  it('duplicate_scan: a second entry within the anti-passback window, on that reader only', async () => {
    await scan('R-APB', 'NOBODY')
    await configure('R-APB', { anti_passback_seconds: 60 })
    expect((await scan('R-APB', 'CRED-JANE')).json.reason).toBe('granted')
    expect((await scan('R-APB', 'CRED-JANE')).json).toMatchObject({
      access_granted: false,
      reason: 'duplicate_scan',
      attendee: { first_name: 'Jane' },
    })
    expect((await scan('R-OTHER', 'CRED-JANE')).json.reason).toBe('granted')
    expect((await scan('R-APB', 'CRED-VIC')).json.reason).toBe('granted')
    // Without a window, back-to-back scans are all granted.
    expect((await scan('R-OTHER', 'CRED-JANE')).json.reason).toBe('granted')
    expect(decisionRows().map((r) => (r as { reason: string }).reason)).toEqual([
      'unknown_credential',
      'granted',
      'duplicate_scan',
      'granted',
      'granted',
      'granted',
    ])
  })

  it('a reader assigned to another project looks credentials up there', async () => {
    await s.send(
      'attendee-sync',
      syncBody('upsert', [{ external_id: 'G-1', first_name: 'Gil', last_name: 'Ala', credential_value: 'CRED-GIL' }], 'gala'),
    )
    // The first project learned (venue/expo) stays the default.
    expect((await scan('R-1', 'CRED-GIL')).json.reason).toBe('unknown_credential')
    const gala = s.station.access.projects.find('venue/gala')!
    await configure('R-1', { project_id: gala })
    expect((await scan('R-1', 'CRED-GIL')).json).toMatchObject({ access_granted: true, attendee: { first_name: 'Gil' } })
    expect((await scan('R-1', 'CRED-JANE')).json.reason).toBe('unknown_credential')
  })
})

describe('a retried scan', () => {
  it('is answered with the first decision and not counted twice', async () => {
    const ts = at(500)
    const first = await scan('R-1', 'CRED-JANE', ts)
    expect(first.json.reason).toBe('granted')
    const retry = await scan('R-1', 'CRED-JANE', ts)
    expect(retry).toEqual(first)
    expect(decisionRows()).toHaveLength(1)
    expect(s.seen('access:decided')).toHaveLength(1)
    expect(s.station.log.query({ limit: 1 })[0]!.reason).toBe(`granted (retry of decision ${decisionIds()[0]})`)
  })

  it('never repeats a grant that a cancellation since would deny: decided afresh, and counted', async () => {
    const ts = at(510)
    expect((await scan('R-1', 'CRED-JANE', ts)).json.reason).toBe('granted')
    // (Cvent registrations live in the default project: EXT-JANE is that registration id.)
    await s.send('cvent', { event_type: 'registration.cancelled', event_id: 'x', timestamp: at(0), data: { registration_id: 'EXT-JANE' } })
    const retry = await scan('R-1', 'CRED-JANE', ts)
    expect(retry.json).toMatchObject({ access_granted: false, reason: 'cancelled', attendee: { first_name: 'Jane' } })
    expect(decisionRows()).toHaveLength(2)
    expect(s.seen('access:decided').map((d) => d.reason)).toEqual(['granted', 'cancelled'])
    const [firstId] = decisionIds()
    expect(s.station.log.query({ limit: 1 })[0]!.reason).toBe(`cancelled (retry of decision ${firstId}, decided afresh)`)
    // A different timestamp is a new scan, decided afresh too.
    expect((await scan('R-1', 'CRED-JANE', at(511))).json.reason).toBe('cancelled')
    expect(decisionRows()).toHaveLength(3)
  })

  it('sent twice at once (same commit batch) is still one decision', async () => {
    const ts = at(700)
    const [a, b] = await Promise.all([scan('R-1', 'NOBODY', ts), scan('R-1', 'NOBODY', ts)])
    expect(a.status).toBe(200)
    expect(b).toEqual(a)
    expect(decisionRows()).toHaveLength(1)
    expect(s.seen('access:decided')).toHaveLength(1)
  })

  it('a denial retried after the reader was re-enabled is still the first denial', async () => {
    await scan('R-3', 'CRED-JANE')
    await configure('R-3', { enabled: false })
    const ts = at(900)
    const first = await scan('R-3', 'CRED-JANE', ts)
    expect(first.json.reason).toBe('reader_disabled')
    await configure('R-3', { enabled: true })
    expect(await scan('R-3', 'CRED-JANE', ts)).toEqual(first)
    expect(decisionRows()).toHaveLength(2)
  })
})

describe('entered today', () => {
  it('counts distinct people granted, not scans, and none that were denied', async () => {
    await scan('R-1', 'CRED-JANE')
    await scan('R-2', 'CRED-JANE')
    await scan('R-1', 'CRED-VIC')
    await scan('R-1', 'NOBODY-KNOWS')
    await scan('R-3', 'NOBODY-EITHER')
    await configure('R-3', { enabled: false })
    expect((await scan('R-3', 'EXT-NOC')).json.reason).toBe('reader_disabled')
    expect(decisionRows().filter((r) => (r as { granted: number }).granted === 1)).toHaveLength(3)
    expect(s.station.access.decisions.enteredSince(0)).toBe(2)
    expect(s.station.access.decisions.enteredSince(Date.now() + 60_000)).toBe(0)
  })
})
