// Cvent through the real receiver (X-Cvent-Signature): registrations become attendees of the
// Cvent project, cancellations deny, duplicates and older events change nothing — also after a
// restart on the same data directory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'

let s: AccessStation
let tick = 1000
beforeEach(async () => {
  s = await openAccessStation()
})
afterEach(async () => {
  await s?.close()
})

const event = (event_type: string, event_id: string, seconds: number, registration_id = 'REG-1', attendee?: Record<string, string>) =>
  s.send('cvent', { event_type, event_id, timestamp: at(seconds), data: { registration_id, ...(attendee ? { attendee } : {}) } })

const scan = (credential_value = 'REG-1') => s.send('access-event', { reader_id: 'R-1', credential_value, timestamp: at(++tick) })

const registration = (id = 'REG-1') => s.station.access.attendees.search(id).find((a) => a.external_id === id)
const recorded = () => s.station.db.prepare('SELECT event_id, applied FROM cvent_events ORDER BY rowid').all()

const JOHN = { first_name: 'John', last_name: 'Doe', email: 'john.doe@example.com' }

describe('Cvent registrations', () => {
  it('created → granted → cancelled → denied; the replayed created does not revive it', async () => {
    expect(await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)).toEqual({
      status: 200,
      json: { success: true, message: 'Event processed' },
    })
    // The registration id is both the external id and the credential; default project.
    expect(registration()).toMatchObject({
      project: 'default/default',
      first_name: 'John',
      last_name: 'Doe',
      credential_value: 'REG-1',
      source: 'cvent',
      status: 'active',
    })
    expect((await scan()).json).toMatchObject({
      access_granted: true,
      reason: 'granted',
      attendee: { first_name: 'John', last_name: 'Doe' },
    })

    await event('registration.cancelled', 'evt_2', 10)
    expect(registration()!.status).toBe('cancelled')
    expect((await scan()).json).toMatchObject({ access_granted: false, reason: 'cancelled' })

    expect(await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)).toEqual({
      status: 200,
      json: { success: true, message: 'Duplicate event ignored' },
    })
    expect((await scan()).json).toMatchObject({ access_granted: false, reason: 'cancelled' })
    expect(recorded()).toEqual([
      { event_id: 'evt_1', applied: 1 },
      { event_id: 'evt_2', applied: 1 },
    ])
  })

  it('an older event under a new event_id does not overwrite a newer one', async () => {
    await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)
    await event('registration.updated', 'evt_3', 20, 'REG-1', { first_name: 'Johnny' })
    await event('registration.cancelled', 'evt_4', 30)
    expect(await event('registration.created', 'evt_5', 5, 'REG-1', { first_name: 'Jon', last_name: 'Old' })).toEqual({
      status: 200,
      json: { success: true, message: 'Older than the last event applied; ignored' },
    })
    expect(await event('registration.updated', 'evt_6', 25, 'REG-1', { first_name: 'Jonathan' })).toMatchObject({ status: 200 })
    expect(registration()).toMatchObject({ first_name: 'Johnny', last_name: 'Doe', status: 'cancelled' })
    expect((await scan()).json.reason).toBe('cancelled')
    expect(recorded()).toContainEqual({ event_id: 'evt_5', applied: 0 })
  })

  it('out of order: a cancellation that arrives before its registration wins', async () => {
    await event('registration.cancelled', 'evt_b', 10, 'REG-2')
    await event('registration.created', 'evt_a', 0, 'REG-2', JOHN)
    expect(registration('REG-2')!.status).toBe('cancelled')
    expect((await scan('REG-2')).json.reason).toBe('cancelled')
  })

  it('on a timestamp tie a cancellation wins: a created at the same second does not revive it', async () => {
    await event('registration.created', 'evt_t1', 0, 'REG-3', JOHN)
    await event('registration.cancelled', 'evt_t2', 10, 'REG-3')
    expect((await event('registration.created', 'evt_t3', 10, 'REG-3', JOHN)).json).toEqual({
      success: true,
      message: 'Older than the last event applied; ignored',
    })
    expect((await scan('REG-3')).json.reason).toBe('cancelled')
    // A created that is really newer re-registers the attendee.
    await event('registration.created', 'evt_t4', 11, 'REG-3', JOHN)
    expect((await scan('REG-3')).json.reason).toBe('granted')
  })

  it('a newer update changes details but never lifts a cancellation', async () => {
    await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)
    await event('registration.cancelled', 'evt_2', 10)
    await event('registration.updated', 'evt_3', 20, 'REG-1', { email: 'john@new.example.com' })
    expect(registration()).toMatchObject({ email: 'john@new.example.com', first_name: 'John', status: 'cancelled' })
    expect((await scan()).json.reason).toBe('cancelled')
  })

  it('duplicates and older events are still recognised after a restart', async () => {
    await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)
    await event('registration.cancelled', 'evt_2', 10)
    await s.restart()
    expect((await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)).json.message).toBe('Duplicate event ignored')
    expect((await event('registration.cancelled', 'evt_2', 10)).json.message).toBe('Duplicate event ignored')
    expect((await event('registration.created', 'evt_7', 9, 'REG-1', JOHN)).json.message).toBe('Older than the last event applied; ignored')
    expect((await scan()).json).toMatchObject({ access_granted: false, reason: 'cancelled' })
    // A newer event is still applied after the restart.
    expect((await event('registration.updated', 'evt_8', 40, 'REG-1', { last_name: 'Dowe' })).json.message).toBe('Event processed')
    expect(registration()).toMatchObject({ last_name: 'Dowe', status: 'cancelled' })
  })

  it('checked_in records the check-in time (the earliest one seen)', async () => {
    await event('registration.created', 'evt_1', 0, 'REG-1', JOHN)
    await event('attendee.checked_in', 'evt_2', 60)
    expect(registration()).toMatchObject({ status: 'checked_in', checked_in_at: at(60) })
    // An earlier check-in arriving late is still a fact; a later one does not move it.
    await event('attendee.checked_in', 'evt_3', 45)
    await event('attendee.checked_in', 'evt_4', 90)
    expect(registration()!.checked_in_at).toBe(at(45))
    expect((await scan()).json.reason).toBe('granted')
  })

  it('an unknown event_type is a 400 naming event_type, and records nothing', async () => {
    const res = await event('registration.deleted', 'evt_x', 0)
    expect(res.status).toBe(400)
    expect(res.json).toMatchObject({ error: 'Validation failed', message: 'The given data was invalid' })
    expect(Object.keys(res.json.errors)).toEqual(['event_type'])
    expect(res.json.errors.event_type[0]).toMatch(/event_type/)
    expect(recorded()).toEqual([])
    // The same event_id with a known type is then processed: the 400 did not consume it.
    expect((await event('registration.created', 'evt_x', 0)).json.message).toBe('Event processed')
  })

  it('signed with the Cvent scheme: a GxP-style or wrong signature is refused', async () => {
    const bad = await s.send(
      'cvent',
      { event_type: 'registration.created', event_id: 'e', timestamp: at(0), data: { registration_id: 'R' } },
      { signature: 'sha256=' + '0'.repeat(64) },
    )
    expect(bad.status).toBe(401)
    expect(registration('R')).toBeUndefined()
  })

  it('registrations go to the configured Cvent project; its readers find them there', async () => {
    await s.send('attendee-sync', syncBody('upsert', [{ external_id: 'E-1', first_name: 'A', last_name: 'B' }], 'expo'))
    await s.send('attendee-sync', syncBody('upsert', [{ external_id: 'E-2', first_name: 'C', last_name: 'D' }], 'gala'))
    const gala = s.station.access.projects.find('venue/gala')!
    await s.station.queue.enqueue(() => s.station.access.projects.setCvent(gala))
    await event('registration.created', 'evt_1', 0, 'REG-G', JOHN)
    expect(registration('REG-G')!.project).toBe('venue/gala')
    // R-1 reads the default project (venue/expo, the first learned): not there.
    expect((await scan('REG-G')).json.reason).toBe('unknown_credential')
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('R-1', { project_id: gala }))
    expect((await scan('REG-G')).json.reason).toBe('granted')
  })
})
