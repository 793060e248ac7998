// The access-control CLI commands as an admin runs them, beside a running station on the same
// data directory: `status`, `alerts [--ack ID --by NAME]`, `attendees [--search Q]`,
// `decisions [--since ISO]`, with --json. Five real child processes at once; refusals in-process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { commands } from '../../cli/commands'
import type { AlertView, AttendeeView, DecisionView, GatewayView, ReaderView } from '../../../shared/domain'
import { at, openAccessStation, syncBody, type AccessStation } from '../../test-support/access-station'

const ROOT = resolve(import.meta.dirname, '../../../..')

let s: AccessStation
beforeEach(async () => {
  s = await openAccessStation()
})
afterEach(async () => {
  await s?.close()
})

/**
 * `gatehouse …` in a child process, as `npm run gatehouse` runs it (tsx), minus npx's own start-up;
 * resolves with the exit code and output.
 */
function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--data-dir', s.dataDir],
      { cwd: ROOT, timeout: 90_000 },
      (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    )
  })
}
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await cli(...args, '--json')
  expect(r.err).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.out) as T
}

/** The same command in-process (cheap): for refusals and exit codes. */
async function inProcess(name: string, values: Record<string, string | boolean>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await commands[name]!({ args: [], values, dataDir: s.dataDir, json: true, out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('gatehouse CLI: access control', () => {
  it('status, alerts (and --ack --by), attendees --search and decisions --since, as JSON', async () => {
    await s.send(
      'attendee-sync',
      syncBody('upsert', [
        { external_id: 'E-1', first_name: 'Jane', last_name: 'Smith', credential_value: 'C-1' },
        { external_id: 'E-2', first_name: 'John', last_name: 'Doe', credential_value: 'C-2' },
        { external_id: 'E-3', first_name: 'Ann', last_name: 'Smithers' },
      ]),
    )
    await s.send('mqtt-gateway-status', {
      gateway_id: 'GW-1',
      status: 'online',
      timestamp: at(0),
      readers: [
        { reader_id: 'R-1', status: 'connected' },
        { reader_id: 'R-2', status: 'disconnected' },
      ],
    })
    await s.send('access-event', { reader_id: 'R-1', credential_value: 'C-1', timestamp: at(1) })
    await new Promise((r) => setTimeout(r, 20))
    const cutoff = new Date().toISOString()
    await new Promise((r) => setTimeout(r, 20))
    await s.send('access-event', { reader_id: 'R-1', credential_value: 'NOBODY', timestamp: at(2) })

    const [alert] = s.station.access.alerts.open()
    const [status, open, smiths, recent, acked] = await Promise.all([
      json<{ gateways: GatewayView[]; unassigned_readers: ReaderView[] }>('status'),
      json<AlertView[]>('alerts'),
      json<AttendeeView[]>('attendees', '--search', 'smith'),
      json<DecisionView[]>('decisions', '--since', cutoff),
      json<AlertView>('alerts', '--ack', String(alert!.id), '--by', 'Dana'),
    ])
    expect(status.unassigned_readers).toEqual([])
    expect(status.gateways).toEqual([
      expect.objectContaining({
        gateway_id: 'GW-1',
        health: 'online',
        readers: [
          expect.objectContaining({ reader_id: 'R-1', health: 'healthy', last_scan: at(2) }),
          expect.objectContaining({ reader_id: 'R-2', health: 'degraded' }),
        ],
      }),
    ])
    expect(open).toEqual([expect.objectContaining({ id: alert!.id, kind: 'reader_disconnected', subject: 'R-2' })])
    expect(smiths.map((a) => a.external_id).sort()).toEqual(['E-1', 'E-3'])
    expect(recent).toEqual([
      expect.objectContaining({ credential_value: 'NOBODY', access_granted: false, reason: 'unknown_credential', attendee: null }),
    ])

    expect(acked).toMatchObject({ id: alert!.id, acknowledged_by: 'Dana', acknowledged_at: expect.any(String) })
    // The running station sees it in the shared store.
    expect(s.station.access.alerts.get(alert!.id)!.acknowledged_by).toBe('Dana')
  })

  it('refuses an acknowledgement without an operator name, of an unknown alert, or twice', async () => {
    await s.send('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'offline', timestamp: at(0) })
    const [alert] = s.station.access.alerts.open()
    await expect(inProcess('alerts', { ack: String(alert!.id) })).rejects.toThrow(/--by NAME/)
    expect(await inProcess('alerts', { ack: '999', by: 'Dana' })).toMatchObject({ code: 1, err: 'no alert 999' })
    // Priority 1 (an offline gateway): acknowledged only with a note saying what is being done.
    expect(await inProcess('alerts', { ack: String(alert!.id), by: 'Dana' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/priority 1: write a note/),
    })
    expect((await inProcess('alerts', { ack: String(alert!.id), by: 'Dana', note: 'Checking its power' })).code).toBe(0)
    expect(await inProcess('alerts', { ack: String(alert!.id), by: 'Eve', note: 'me too' })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/already acknowledged by Dana/),
    })
    // decisions --since refuses a date it cannot read.
    await expect(inProcess('decisions', { since: 'yesterday' })).rejects.toThrow(/--since must be an ISO 8601/)
  })
})

describe('gatehouse credentials and projects', () => {
  it('lists a conflict and resolves it from the CLI beside the running station', async () => {
    await s.send(
      'attendee-sync',
      syncBody('upsert', [{ external_id: 'EXT-1', first_name: 'Sam', last_name: 'Sync', credential_value: 'REG-9' }]),
    )
    expect(
      (await s.send('cvent', { event_type: 'registration.created', event_id: 'e', timestamp: at(0), data: { registration_id: 'REG-9' } }))
        .status,
    ).toBe(409)
    const listed = await json<Array<{ project: string; credential: string; holders: unknown[] }>>('credentials')
    expect(listed).toEqual([
      expect.objectContaining({
        project: 'venue/expo',
        credential: 'REG-9',
        holders: [
          { kind: 'attendee', id: 'EXT-1' },
          { kind: 'cvent_registration', id: 'REG-9' },
        ],
      }),
    ])
    const refused = await cli('credentials', 'resolve', 'REG-9', '--project', 'venue/expo', '--keep', 'NOBODY-SUCH', '--by', 'Ada')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('NOBODY-SUCH does not hold REG-9')
    const done = await cli('credentials', 'resolve', 'REG-9', '--project', 'venue/expo', '--keep', 'EXT-1', '--by', 'Ada')
    expect(done).toMatchObject({ code: 0, out: "REG-9 in venue/expo is EXT-1's now; the other claims stay without it\n" })
    expect((await s.send('access-event', { reader_id: 'R-1', credential_value: 'REG-9', timestamp: at(1) })).json.reason).toBe('granted')
    expect(await json('credentials')).toEqual([])
  })

  it('a change of the default or Cvent project says that registrations already received keep theirs', async () => {
    await s.send('attendee-sync', syncBody('upsert', [{ external_id: 'E', first_name: 'A', last_name: 'B' }], 'expo'))
    await s.send('attendee-sync', syncBody('upsert', [{ external_id: 'E', first_name: 'A', last_name: 'B' }], 'gala'))
    await s.send('cvent', { event_type: 'registration.created', event_id: 'e', timestamp: at(0), data: { registration_id: 'REG-1' } })
    const moved = await cli('projects', '--default', 'venue/gala')
    expect(moved.out).toContain(
      'Readers without a project of their own now check credentials against venue/gala. New Cvent registrations go there too. The Cvent registration already received stays in the project it was created in.',
    )
    const cvent = await cli('projects', '--cvent', 'venue/expo')
    expect(cvent.out).toContain('New Cvent registrations go to venue/expo. The Cvent registration already received stays')
  })
})
