// The desk's alert commands against a real station: hostile and wrong input refused with a clear
// code (nothing changed), the incident export with the notes (CSV cells that cannot run as
// formulas), the admin's per-kind settings; and `gatehouse alerts export` and `alerts kind` from the CLI.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDeskCommands, runDeskCommand } from './commands'
import { commands as cli } from '../../cli/commands'
import { at, openAccessStation, type AccessStation } from '../../test-support/access-station'
import type { Result } from '../../../shared/contract'
import type { AlertView } from '../../../shared/domain'
import type { AlertKindSettings } from '../../../shared/alerts'

let s: AccessStation
let call: <T>(name: string, input: unknown) => Promise<Result<T>>
beforeEach(async () => {
  s = await openAccessStation()
  const commands = createDeskCommands({ station: s.station, receiverUrls: () => [] })
  call = async <T>(name: string, input: unknown) => (await runDeskCommand(commands, name, input)) as Result<T>
})
afterEach(async () => {
  await s?.close()
})
const ok = async <T>(name: string, input: unknown): Promise<T> => {
  const r = await call<T>(name, input)
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  return r.value
}

async function readerAlert(reader: string, t = 0): Promise<AlertView> {
  await s.send('mqtt-gateway-status', {
    gateway_id: 'GW-1',
    status: 'online',
    readers: [{ reader_id: reader, status: 'error' }],
    timestamp: at(t),
  })
  return s.station.access.alerts.openOf('reader_disconnected', reader)!
}

describe('alert steps from the desk', () => {
  it('refuses bad input with INVALID_INPUT and steps the state does not allow with CONFLICT, changing nothing', async () => {
    const a = await readerAlert('R-1')
    for (const input of [
      { id: a.id, by: '', minutes: 5 },
      { id: a.id, by: 'Dana', minutes: 0 },
      { id: a.id, by: 'Dana', minutes: 100_000 },
      { id: a.id, by: 'Dana', minutes: 1.5 },
      { id: a.id, by: 'Dana', minutes: 5, note: 'x'.repeat(2001) },
      { id: -1, by: 'Dana', minutes: 5 },
      { id: a.id, by: 'Dana', minutes: '5' },
    ]) {
      expect((await call('alerts:snooze', input)).ok, JSON.stringify(input).slice(0, 80)).toBe(false)
    }
    expect(await call('alerts:note', { id: a.id, by: 'Dana', note: '  ' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    expect(await call('alerts:investigate', { id: a.id, by: 'Dana' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    expect(await call('alerts:acknowledge', { id: 424242, by: 'Dana' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await call('alerts:history', { id: 424242 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(s.station.access.alerts.get(a.id)).toEqual(a)
    expect(s.station.access.alerts.notes(a.id).map((n) => n.action)).toEqual(['raised'])

    expect(await ok<AlertView>('alerts:snooze', { id: a.id, by: 'Dana', minutes: 5 })).toMatchObject({ state: 'snoozed' })
    expect(s.seen('alert:changed').at(-1)).toMatchObject({ id: a.id, state: 'snoozed' })
  })

  it('refuses an export range that ends before it starts, and settings outside their bounds', async () => {
    expect(await call('alerts:export', { since: at(10), until: at(0), format: 'csv' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(await call('alerts:export', { since: 'yesterday', until: at(0), format: 'csv' })).toMatchObject({ ok: false })
    for (const bad of [
      { priority: 0 },
      { priority: 6 },
      { reactivation_minutes: -1 },
      { instructions: 'x'.repeat(2001) },
      { kind: 'nope' },
      { by: '' },
    ]) {
      expect((await call('alerts:configure-kind', { kind: 'clock_skew', by: 'Ann', ...bad })).ok, JSON.stringify(bad).slice(0, 60)).toBe(
        false,
      )
    }
    expect((await ok<AlertKindSettings[]>('alerts:kinds', {})).every((k) => !k.customised)).toBe(true)
  })
})

describe('the incident export', () => {
  it('has every alert open in the range with its notes, as JSON and as CSV whose cells cannot run as formulas', async () => {
    const a = await readerAlert('=HYPERLINK("x")', 0)
    await ok('alerts:acknowledge', { id: a.id, by: 'Dana', note: '+1 called "maintenance", then left' })
    const since = new Date(Date.now() - 60_000).toISOString()
    const until = new Date(Date.now() + 60_000).toISOString()
    const json = await ok<{ content: string; filename: string }>('alerts:export', { since, until, format: 'json' })
    expect(json.filename).toMatch(/^gatehouse-incidents-.*\.json$/)
    const parsed = JSON.parse(json.content) as { alerts: Array<AlertView & { notes: Array<{ by: string; note: string | null }> }> }
    expect(parsed.alerts.map((x) => x.id)).toEqual([a.id])
    expect(parsed.alerts[0]!.notes.map((n) => [n.by, n.note])).toEqual([
      ['station', null],
      ['Dana', '+1 called "maintenance", then left'],
    ])
    const csv = (await ok<{ content: string }>('alerts:export', { since, until, format: 'csv' })).content
    const lines = csv.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'id,priority,kind,severity,subject,state,raised_at,resolved_at,resolved_by,occurrences,message,note_at,note_by,note_action,note_note',
    )
    expect(lines).toHaveLength(3)
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")"`)
    expect(lines[2]).toContain(`"'+1 called ""maintenance"", then left"`)
    // Outside the range: nothing.
    const before = await ok<{ content: string }>('alerts:export', { since: at(-7200), until: at(-3600), format: 'json' })
    expect((JSON.parse(before.content) as { alerts: unknown[] }).alerts).toEqual([])
  })
})

describe('from the CLI', () => {
  const run = async (args: string[], values: Record<string, string | boolean>) => {
    const out: string[] = []
    const err: string[] = []
    const code = await cli.alerts!({ args, values, dataDir: s.dataDir, json: false, out: (t) => out.push(t), err: (t) => err.push(t) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }

  it('`alerts kind` sets a priority and instructions the running station uses; `alerts export` writes the incidents', async () => {
    expect((await run(['kind', 'reader_disconnected'], { priority: '2', instructions: 'Send the runner', by: 'Admin Ann' })).code).toBe(0)
    const a = await readerAlert('R-4')
    expect(a.priority).toBe(2)
    expect(s.station.access.alerts.kinds.get('reader_disconnected')).toMatchObject({
      instructions: 'Send the runner',
      updated_by: 'Admin Ann',
    })
    await expect(run(['kind', 'reader_disconnected'], { priority: '9', by: 'Ann' })).rejects.toThrow(/priority/)
    await expect(run(['kind', 'not_a_kind'], { by: 'Ann' })).rejects.toThrow()

    const file = join(s.dataDir, 'incidents.csv')
    const since = new Date(Date.now() - 60_000).toISOString()
    expect((await run(['export'], { since, format: 'csv', out: file })).code).toBe(0)
    expect(readFileSync(file, 'utf8')).toContain(',reader_disconnected,warning,R-4,open,')
    await expect(run(['export'], { since: 'last week' })).rejects.toThrow(/--since must be an ISO 8601/)
    await expect(run(['export'], { since, format: 'xml' })).rejects.toThrow()
  })
})
