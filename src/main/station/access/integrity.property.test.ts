// The promise as a property: for random interleavings of attendee-sync rows, Cvent events (with
// random timestamps, far-future ones included), scans and their retries, and admin changes (readers
// disabled, default and Cvent projects moved), no scan is ever granted to a credential whose
// registration was cancelled last (by arrival) in the reader's project, nor at a disabled reader.
// Everything goes through the real receiver over a real socket.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { openAccessStation, syncBody } from '../../test-support/access-station'

const REGISTRATIONS = ['REG-1', 'REG-2', 'REG-3'] as const
const CREDENTIALS = [...REGISTRATIONS, 'QR-1', 'QR-2'] as const
const EXTERNAL_IDS = ['EXT-1', 'EXT-2', 'REG-1'] as const
const READERS = ['R-1', 'R-2'] as const
const PROJECTS = ['expo', 'gala'] as const
const EVENT_TYPES = ['registration.created', 'registration.updated', 'registration.cancelled', 'attendee.checked_in'] as const

type Time = { kind: 'past'; seconds: number } | { kind: 'near'; seconds: number } | { kind: 'far'; iso: string }
const timeArb: fc.Arbitrary<Time> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 3600 }).map((seconds) => ({ kind: 'past' as const, seconds })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 250 }).map((seconds) => ({ kind: 'near' as const, seconds })) },
  { weight: 1, arbitrary: fc.constantFrom('2099-01-01T00:00:00Z', '9999-12-31T23:59:59Z').map((iso) => ({ kind: 'far' as const, iso })) },
)
const stamp = (t: Time): string =>
  t.kind === 'far' ? t.iso : new Date(Date.now() + (t.kind === 'past' ? -t.seconds : t.seconds) * 1000).toISOString()

type Action =
  | { kind: 'sync'; project: (typeof PROJECTS)[number]; rows: Array<{ external_id: string; credential_value: string | null }> }
  | { kind: 'cvent'; type: (typeof EVENT_TYPES)[number]; registration: string; time: Time }
  | { kind: 'scan'; reader: string; credential: string; time: Time; retry: boolean }
  | { kind: 'reader'; reader: string; enabled: boolean }
  | { kind: 'reader-project'; reader: string; project: (typeof PROJECTS)[number] | null }
  | { kind: 'cvent-project' | 'default-project'; project: (typeof PROJECTS)[number] }

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      project: fc.constantFrom(...PROJECTS),
      rows: fc.array(
        fc.record({
          external_id: fc.constantFrom(...EXTERNAL_IDS),
          credential_value: fc.option(fc.constantFrom(...CREDENTIALS), { nil: null }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('cvent' as const),
      type: fc.constantFrom(...EVENT_TYPES),
      registration: fc.constantFrom(...REGISTRATIONS),
      time: timeArb,
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('scan' as const),
      reader: fc.constantFrom(...READERS),
      credential: fc.constantFrom(...CREDENTIALS),
      time: timeArb,
      retry: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reader' as const), reader: fc.constantFrom(...READERS), enabled: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reader-project' as const),
      reader: fc.constantFrom(...READERS),
      project: fc.option(fc.constantFrom(...PROJECTS), { nil: null }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('cvent-project' as const, 'default-project' as const),
      project: fc.constantFrom(...PROJECTS),
    }),
  },
)

describe('access integrity, as a property', () => {
  it('never grants a credential whose registration was cancelled last, nor at a disabled reader', { timeout: 300_000 }, async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 5, maxLength: 30 }), async (actions) => {
        const s = await openAccessStation()
        try {
          const { access, queue } = s.station
          // The model: what an observer of the answers knows, nothing of the station's insides.
          const lastAccepted = new Map<string, string>() // registration → type of the last event answered "processed/ignored"
          const registrationProject = new Map<string, string>()
          // Until a Cvent project is set, Cvent registrations follow the default project.
          let cventOwn: string | null = null
          let defaultProject = 'venue/expo'
          const cventProject = (): string => cventOwn ?? defaultProject
          const readerProject = new Map<string, string | null>()
          const disabled = new Set<string>()
          const scans: Array<{ reader: string; credential: string; timestamp: string }> = []
          // Two projects from the start; venue/expo, the first, is the default.
          for (const p of PROJECTS)
            await s.send('attendee-sync', syncBody('upsert', [{ external_id: `SEED-${p}`, first_name: 'S', last_name: 'S' }], p))
          let n = 0
          for (const a of actions) {
            n++
            switch (a.kind) {
              case 'sync': {
                const rows = a.rows.map((r, i) => ({ ...r, first_name: `F${n}`, last_name: `L${i}` }))
                expect((await s.send('attendee-sync', syncBody('upsert', rows, a.project))).status).toBe(200)
                break
              }
              case 'cvent': {
                const res = await s.send('cvent', {
                  event_type: a.type,
                  event_id: `e-${run}-${n}`,
                  timestamp: stamp(a.time),
                  data: { registration_id: a.registration },
                })
                expect([200, 409]).toContain(res.status)
                if (res.status === 200 && res.json.message !== 'Duplicate event ignored') {
                  lastAccepted.set(a.registration, a.type)
                  if (!registrationProject.has(a.registration) && res.json.message === 'Event processed')
                    registrationProject.set(a.registration, cventProject())
                }
                break
              }
              case 'scan': {
                const earlier = a.retry ? scans.find((x) => x.reader === a.reader && x.credential === a.credential) : undefined
                const timestamp = earlier?.timestamp ?? stamp(a.time)
                if (!earlier) scans.push({ reader: a.reader, credential: a.credential, timestamp })
                const res = await s.send('access-event', { reader_id: a.reader, credential_value: a.credential, timestamp })
                expect(res.status).toBe(200)
                const project = readerProject.get(a.reader) ?? defaultProject
                const cancelledHere =
                  lastAccepted.get(a.credential) === 'registration.cancelled' && registrationProject.get(a.credential) === project
                if (res.json.access_granted) {
                  expect(disabled.has(a.reader), `granted at disabled ${a.reader}`).toBe(false)
                  expect(cancelledHere, `granted ${a.credential} in ${project}, cancelled last`).toBe(false)
                }
                break
              }
              case 'reader': {
                if (!access.gateways.reader(a.reader)) break
                await queue.enqueue(() => access.gateways.configureReader(a.reader, { enabled: a.enabled }))
                if (a.enabled) disabled.delete(a.reader)
                else disabled.add(a.reader)
                break
              }
              case 'reader-project': {
                if (!access.gateways.reader(a.reader)) break
                const id = a.project === null ? null : access.projects.find(`venue/${a.project}`)!
                await queue.enqueue(() => access.gateways.configureReader(a.reader, { project_id: id }))
                readerProject.set(a.reader, a.project === null ? null : `venue/${a.project}`)
                break
              }
              case 'cvent-project': {
                await queue.enqueue(() => access.projects.setCvent(access.projects.find(`venue/${a.project}`)!))
                cventOwn = `venue/${a.project}`
                break
              }
              case 'default-project': {
                await queue.enqueue(() => access.projects.setDefault(access.projects.find(`venue/${a.project}`)!))
                defaultProject = `venue/${a.project}`
                break
              }
            }
          }
        } finally {
          run++
          await s.close()
        }
      }),
      // FC_SEED=<seed> replays a failure fast-check reported; FC_RUNS=<n> searches longer.
      { numRuns: Number(process.env.FC_RUNS ?? 40), ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    )
  })
})
