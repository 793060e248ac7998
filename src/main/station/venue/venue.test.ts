// Venue rules through the real receiver over a real socket: zones and their inside counts,
// capacity alerts, area anti-passback, the watch list, admit-once overrides, forgiving, lockdown
// and opening hours — each reason exactly when it should, each change applying to the next scan
// and naming its operator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'
import { createDeskCommands, runDeskCommand } from '../desk/commands'

let s: AccessStation
let tick = 0
beforeEach(async () => {
  s = await openAccessStation()
  const people = Array.from({ length: 12 }, (_, i) => ({
    external_id: `P${i}`,
    first_name: `Per${i}`,
    last_name: 'Son',
    credential_value: `B${i}`,
    attendee_type: i === 11 ? 'staff' : 'general',
  }))
  expect((await s.send('attendee-sync', syncBody('upsert', people))).json.results.created).toBe(12)
})
afterEach(async () => {
  await s?.close()
})

const at = (): string => new Date(Date.now() - 60_000 + ++tick).toISOString()
const scan = async (reader: string, credential: string) =>
  (await s.send('access-event', { reader_id: reader, credential_value: credential, timestamp: at() })).json as {
    access_granted: boolean
    reason: string
  }
/** Readers exist once seen: one scan each, by nobody. */
const see = async (...readers: string[]) => {
  for (const r of readers) await scan(r, 'NOBODY')
}
const venue = () => s.station.venue
const zone = (name: string) =>
  venue()
    .zones()
    .find((z) => z.name === name)!
const openAlerts = (kind: string) => s.station.access.alerts.open().filter((a) => a.kind === kind)
const desk = () => createDeskCommands({ station: s.station, receiverUrls: () => [] })

describe('zones and occupancy', () => {
  it('counts people in and out by person, one zone at a time, never below zero; survives a restart', async () => {
    await see('HALL-IN', 'HALL-OUT', 'GALA-IN', 'DOOR')
    await venue().placeReader('HALL-IN', { zone: 'Hall', direction: 'entry' })
    await venue().placeReader('HALL-OUT', { zone: 'Hall', direction: 'exit' })
    await venue().placeReader('GALA-IN', { zone: 'Gala', direction: 'entry' })
    await venue().placeReader('DOOR', { zone: 'Hall', direction: 'both' })
    for (const b of ['B0', 'B1', 'B2']) expect((await scan('HALL-IN', b)).access_granted).toBe(true)
    expect(zone('Hall').inside).toBe(3)
    // The same person twice in: still one person inside (no anti-passback here).
    await scan('HALL-IN', 'B0')
    expect(zone('Hall').inside).toBe(3)
    // Out, and an exit by someone who never came in: never negative.
    await scan('HALL-OUT', 'B1')
    await scan('HALL-OUT', 'B9')
    expect(zone('Hall').inside).toBe(2)
    // One zone at a time: B2 walks into the Gala.
    await scan('GALA-IN', 'B2')
    expect([zone('Hall').inside, zone('Gala').inside]).toEqual([1, 1])
    // A two-way door: out if inside, in if not.
    await scan('DOOR', 'B0')
    await scan('DOOR', 'B5')
    expect(zone('Hall').inside).toBe(1)
    expect(s.seen('zone:changed').at(-1)).toMatchObject({ name: 'Hall', inside: 1 })
    await s.restart()
    expect([zone('Hall').inside, zone('Gala').inside]).toEqual([1, 1])
    // An admin's reset: nobody inside.
    expect((await runDeskCommand(desk(), 'zones:reset', { name: 'Hall', by: 'Ada' })).ok).toBe(true)
    expect(zone('Hall').inside).toBe(0)
  })

  it('raises each capacity alert once as the count crosses it; hard capacity denies entries with zone_full', async () => {
    await see('IN', 'OUT')
    await venue().placeReader('IN', { zone: 'Stage', direction: 'entry' })
    await venue().placeReader('OUT', { zone: 'Stage', direction: 'exit' })
    await venue().configureZone('Stage', { capacity: 10, hard: true })
    for (let i = 0; i < 9; i++) expect((await scan('IN', `B${i}`)).reason).toBe('granted')
    expect(openAlerts('zone_near_capacity')).toEqual([expect.objectContaining({ subject: 'Stage', severity: 'warning' })])
    expect(openAlerts('zone_at_capacity')).toEqual([])
    expect((await scan('IN', 'B9')).reason).toBe('granted')
    expect(openAlerts('zone_at_capacity')).toEqual([expect.objectContaining({ subject: 'Stage', severity: 'critical' })])
    expect((await scan('IN', 'B10')).reason).toBe('zone_full')
    // Someone already inside scanning in again is not refused for the zone being full.
    expect((await scan('IN', 'B0')).reason).toBe('granted')
    const history = () => s.station.access.alerts.recent().filter((a) => a.kind.startsWith('zone_'))
    expect(history()).toHaveLength(2)
    // Two leave: below the line (with its margin) the alerts resolve; crossing again within the
    // kind's reactivation window reopens the same alert, counting the occurrence (no new one).
    await scan('OUT', 'B0')
    expect(openAlerts('zone_at_capacity')).toEqual([])
    const resolved = s.station.access.alerts.recent().find((a) => a.kind === 'zone_at_capacity')!
    expect((await scan('IN', 'B10')).reason).toBe('granted')
    expect(openAlerts('zone_at_capacity')).toEqual([expect.objectContaining({ id: resolved.id, occurrences: 2, state: 'open' })])
    expect(history()).toHaveLength(2)
  })

  it('area anti-passback: a second entry without an exit is denied; forgiven, the next entry is let in', async () => {
    await see('IN', 'OUT')
    await venue().placeReader('IN', { zone: 'Hall', direction: 'entry' })
    await venue().placeReader('OUT', { zone: 'Hall', direction: 'exit' })
    await venue().configureZone('Hall', { anti_passback: true })
    expect((await scan('IN', 'B3')).reason).toBe('granted')
    expect((await scan('IN', 'B3')).reason).toBe('anti_passback')
    await scan('OUT', 'B3')
    expect((await scan('IN', 'B3')).reason).toBe('granted')
    expect((await scan('IN', 'B3')).reason).toBe('anti_passback')
    const denied = s.seen('access:decided').at(-1)!
    expect((await runDeskCommand(desk(), 'decisions:forgive', { decision_id: denied.id, by: 'Sam' })).ok).toBe(true)
    expect(zone('Hall').inside).toBe(0)
    expect((await scan('IN', 'B3')).reason).toBe('granted')
    // Only anti-passback denials can be forgiven.
    const other = await runDeskCommand(desk(), 'decisions:forgive', { decision_id: s.seen('access:decided').at(-1)!.id, by: 'Sam' })
    expect(other).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'Only an anti-passback denial can be forgiven' } })
  })
})

describe('the watch list', () => {
  it('blocked applies to the very next scan, even of an unknown badge; it names reader and person; vip is granted and announced', async () => {
    await see('R-1')
    const d = desk()
    expect(await runDeskCommand(d, 'watch:add', { credential: 'B4', kind: 'blocked', note: 'reported stolen', by: 'Ada' })).toMatchObject({
      ok: true,
      value: { kind: 'blocked', created_by: 'Ada' },
    })
    const blocked = await s.send('access-event', { reader_id: 'R-1', credential_value: 'B4', timestamp: at() })
    expect(blocked.json).toMatchObject({ access_granted: false, reason: 'blocked', attendee: { first_name: 'Per4' } })
    const [alert] = openAlerts('blocked_credential')
    expect(alert!.message).toBe('Blocked: Per4 Son (B4) scanned at reader R-1 and was denied. Note: reported stolen')
    // A banned badge nobody holds is still recognised.
    await runDeskCommand(d, 'watch:add', { credential: 'LOST-99', kind: 'blocked', by: 'Ada' })
    expect((await scan('R-1', 'LOST-99')).reason).toBe('blocked')
    // An attendee flagged (whatever their badge) and a VIP.
    await runDeskCommand(d, 'watch:add', { attendee: { external_id: 'P5', project: 'venue/expo' }, kind: 'blocked', by: 'Ada' })
    expect((await scan('R-1', 'B5')).reason).toBe('blocked')
    await runDeskCommand(d, 'watch:add', { credential: 'B6', kind: 'vip', note: 'keynote speaker: escort to green room', by: 'Ada' })
    const vip = await scan('R-1', 'B6')
    expect(vip).toMatchObject({ access_granted: true, reason: 'granted' })
    expect(s.seen('access:decided').at(-1)).toMatchObject({ watch: { kind: 'vip', note: 'keynote speaker: escort to green room' } })
    expect(openAlerts('watchlist_arrival')[0]!.message).toBe(
      'VIP arrived: Per6 Son at reader R-1. Note: keynote speaker: escort to green room',
    )
    // Removed: the next scan is granted again.
    const id = venue()
      .watchList()
      .find((w) => w.credential === 'B4')!.id
    await runDeskCommand(d, 'watch:remove', { id, by: 'Ada' })
    expect((await scan('R-1', 'B4')).reason).toBe('granted')
  })
})

describe('overrides, lockdown and opening hours', () => {
  it('admit once: the next scan at a reader is granted with reason override and the officer’s name, once; never past a block', async () => {
    await see('GATE')
    await s.station.queue.enqueue(() => s.station.access.gateways.configureReader('GATE', { allowed_types: ['staff'] }))
    expect((await scan('GATE', 'B1')).reason).toBe('not_permitted')
    const d = desk()
    expect(
      await runDeskCommand(d, 'overrides:admit', { reader_id: 'GATE', credential: null, minutes: 5, by: 'Officer Kim' }),
    ).toMatchObject({ ok: true })
    expect((await scan('GATE', 'B1')).reason).toBe('override')
    expect(s.seen('access:decided').at(-1)).toMatchObject({ access_granted: true, reason: 'override', override_by: 'Officer Kim' })
    expect((await scan('GATE', 'B2')).reason).toBe('not_permitted')
    // A steward without a registered badge, let in once by credential.
    await runDeskCommand(d, 'overrides:admit', { reader_id: 'GATE', credential: 'STEWARD-1', minutes: 5, by: 'Officer Kim' })
    expect((await scan('GATE', 'STEWARD-1')).reason).toBe('override')
    // Never past a block.
    await runDeskCommand(d, 'watch:add', { credential: 'B3', kind: 'blocked', by: 'Ada' })
    await runDeskCommand(d, 'overrides:admit', { reader_id: 'GATE', credential: 'B3', minutes: 5, by: 'Officer Kim' })
    expect((await scan('GATE', 'B3')).reason).toBe('blocked')
    expect(venue().overrides()).toHaveLength(1)
  })

  it('lockdown of a zone or everywhere denies the next scan there; lifting it is one action', async () => {
    await see('HALL', 'SIDE')
    await venue().placeReader('HALL', { zone: 'Hall' })
    const d = desk()
    expect(await runDeskCommand(d, 'lockdown:set', { on: true, zone: 'Hall', by: 'Ada', note: 'fire alarm' })).toMatchObject({
      ok: true,
      value: [{ zone: 'Hall', by: 'Ada', note: 'fire alarm' }],
    })
    expect(s.seen('lockdown:changed').at(-1)).toEqual([expect.objectContaining({ zone: 'Hall' })])
    expect((await scan('HALL', 'B0')).reason).toBe('lockdown')
    expect((await scan('SIDE', 'B0')).reason).toBe('granted')
    await runDeskCommand(d, 'lockdown:set', { on: true, zone: null, by: 'Ada' })
    expect((await scan('SIDE', 'B1')).reason).toBe('lockdown')
    // Even an override does not pass a lockdown.
    await runDeskCommand(d, 'overrides:admit', { reader_id: 'SIDE', credential: null, by: 'Kim' })
    expect((await scan('SIDE', 'B1')).reason).toBe('lockdown')
    await runDeskCommand(d, 'lockdown:set', { on: false, zone: null, by: 'Ada' })
    await runDeskCommand(d, 'lockdown:set', { on: false, zone: 'Hall', by: 'Ada' })
    expect((await scan('HALL', 'B2')).reason).toBe('granted')
    expect(venue().lockdowns()).toEqual([])
  })

  it('a reader open only in its hours denies outside them (station local time), overnight windows too', async () => {
    await see('NIGHT')
    const hour = new Date().getHours()
    const pad = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`
    const d = desk()
    // Open from two hours from now until one hour ago: closed now (an overnight window when it wraps).
    const closed = await runDeskCommand(d, 'readers:configure', { reader_id: 'NIGHT', open_windows: `${pad(hour + 2)}-${pad(hour - 1)}` })
    expect(closed).toMatchObject({ ok: true, value: { open_windows: `${pad(hour + 2)}-${pad(hour - 1)}` } })
    expect((await scan('NIGHT', 'B0')).reason).toBe('outside_window')
    await runDeskCommand(d, 'readers:configure', { reader_id: 'NIGHT', open_windows: `${pad(hour - 1)}-${pad(hour + 2)}` })
    expect((await scan('NIGHT', 'B0')).reason).toBe('granted')
    const bad = await runDeskCommand(d, 'readers:configure', { reader_id: 'NIGHT', open_windows: '8-18' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
  })
})
