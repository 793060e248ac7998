// Attendees' last scan written behind the scans (attendee-scans.ts): what the desk and the CLI
// show is never behind the decisions, the column catches up, and a rolled-back flush or scan
// leaves memory as the store.
import { afterEach, describe, expect, it } from 'vitest'
import { openCore, type Core } from '../core'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'
import { eventually } from '../../test-support/station'

let s: AccessStation | undefined
let cli: Core | undefined
afterEach(async () => {
  cli?.close()
  await s?.close()
  s = cli = undefined
})

async function venue(options: { watchIntervalMs?: number } = {}): Promise<AccessStation> {
  const station = await openAccessStation(options)
  const people = Array.from({ length: 5 }, (_, i) => ({
    external_id: `EXT-${i}`,
    first_name: 'Guest',
    last_name: `No ${i}`,
    credential_value: `CRED-${i}`,
  }))
  expect((await station.send('attendee-sync', syncBody('upsert', people))).json.results.created).toBe(5)
  return station
}
const column = (station: AccessStation, externalId: string): number | null =>
  station.station.db.prepare('SELECT last_scan_at FROM attendees WHERE external_id = ?').pluck().get(externalId) as number | null

describe("attendees' last scan", () => {
  it('shows at once, in this process and in a CLI process, and the column catches up', async () => {
    s = await venue()
    const res = await s.send('access-event', { reader_id: 'R-1', credential_value: 'CRED-3', timestamp: at(30) })
    expect(res.json.reason).toBe('granted')
    cli = openCore({ dataDir: s.dataDir, env: {}, readOnly: true })
    const shown = (list: Array<{ external_id: string; last_scan_at: string | null }>) =>
      list.find((a) => a.external_id === 'EXT-3')?.last_scan_at
    // Whether or not the column has it yet, both processes show the scan.
    expect(shown(s.station.access.attendees.search('EXT-3'))).toBe(at(30))
    expect(shown(cli.access.attendees.search('EXT-3'))).toBe(at(30))
    expect(shown(cli.access.attendees.search(''))).toBe(at(30))
    expect(shown(cli.access.attendees.search('EXT-2'))).toBeUndefined()
    expect(cli.access.attendees.search('EXT-2')[0]!.last_scan_at).toBeNull()
    // The station writes it behind the scan (twice a second).
    await eventually(() => column(s!, 'EXT-3') === Date.parse(at(30)))
    expect(s.station.access.attendeeScans.pending()).toBe(0)
    expect(shown(cli.access.attendees.search('EXT-3'))).toBe(at(30))
  })

  it('a flush or a scan whose write rolls back leaves its marks as they were', async () => {
    // The station's own flush (twice a second) is held off: this test flushes by hand.
    s = await venue({ watchIntervalMs: 3_600_000 })
    const st = s.station
    // Scans decided inside one write that then fails: no mark survives the rollback.
    const failed = st.queue.enqueue(() => {
      st.access.decisions.decide({ reader_id: 'R-1', credential_value: 'CRED-1', timestamp: at(10) }, Date.now())
      expect(st.access.attendeeScans.pending()).toBe(1)
      throw new Error('rolled back')
    })
    await expect(failed).rejects.toThrow('rolled back')
    expect(st.access.attendeeScans.pending()).toBe(0)
    // A flush that fails puts its marks back: the next one writes them.
    await st.queue.enqueue(() => {
      st.access.decisions.decide({ reader_id: 'R-1', credential_value: 'CRED-1', timestamp: at(11) }, Date.now())
      st.access.decisions.decide({ reader_id: 'R-1', credential_value: 'CRED-2', timestamp: at(12) }, Date.now())
    })
    const flushFails = st.queue.enqueue(() => {
      expect(st.access.attendeeScans.flush(10)).toBe(2)
      throw new Error('flush rolled back')
    })
    await expect(flushFails).rejects.toThrow('flush rolled back')
    expect(st.access.attendeeScans.pending()).toBe(2)
    expect(column(s, 'EXT-1')).toBeNull()
    expect(await st.queue.enqueue(() => st.access.attendeeScans.flush(10))).toBe(2)
    expect([column(s, 'EXT-1'), column(s, 'EXT-2')]).toEqual([Date.parse(at(11)), Date.parse(at(12))])
    expect(st.access.attendeeScans.pending()).toBe(0)
  })
})
