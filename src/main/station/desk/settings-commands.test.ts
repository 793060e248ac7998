// The run-time settings at the desk through the real command path: an environment variable shown
// as overriding the store, a change only an admin makes, refused by the one parser with a clear
// message (and then no record), applied at once when live, and recorded before → after.
import { afterEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { createStation, type Station } from '../station'
import { createDeskCommands, type DeskCommands } from './commands'
import { createDeskSession, type DeskSession } from './desk-session'
import { runAsSession } from './session-run'
import type { Result } from '../../../shared/contract'
import type { RuntimeSettingsView } from '../../../shared/runtime-settings'
import { tempDir } from '../../test-support/station'

let dir: string
let station: Station
let commands: DeskCommands

async function open(env: NodeJS.ProcessEnv = {}): Promise<void> {
  dir = tempDir('gatehouse-settings-')
  station = await createStation({ dataDir: dir, env })
  commands = createDeskCommands({ station, receiverUrls: () => [] })
}
afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const call = (session: DeskSession, name: string, input: unknown = {}): Promise<Result<unknown>> =>
  runAsSession({ commands, station }, session, name, input)

async function session(name: string, asAdmin: boolean): Promise<DeskSession> {
  const s = createDeskSession('browser')
  await call(s, 'session:identify', { operator: name })
  if (asAdmin) expect((await call(s, 'session:set-passphrase', { passphrase: 'gate house 2026' })).ok).toBe(true)
  return s
}

const setting = async (s: DeskSession, name: string) => {
  const r = (await call(s, 'settings:list')) as { ok: true; value: RuntimeSettingsView }
  return r.value.settings.find((x) => x.name === name)!
}
const settingsRecords = () => station.audit.list().filter((e) => e.command === 'settings:set')

describe('settings at the desk', () => {
  it('shows every setting with where its value comes from, naming the variable that overrides one', async () => {
    await open({ GATEHOUSE_RETENTION_DAYS: '7' })
    const officer = await session('Olu', false)
    expect(await setting(officer, 'retention_days')).toMatchObject({
      value: 7,
      source: 'env',
      stored: null,
      env_var: 'GATEHOUSE_RETENTION_DAYS',
      note: expect.stringContaining('set by GATEHOUSE_RETENTION_DAYS'),
    })
    expect(await setting(officer, 'gateway_timeout_seconds')).toMatchObject({ value: 90, source: 'default', note: null })
    // Stored while the variable is set: kept for later, and the desk says the variable wins.
    const ada = await session('Ada', true)
    expect(await call(ada, 'settings:set', { name: 'retention_days', value: 14 })).toMatchObject({
      ok: true,
      value: { value: 7, source: 'env', stored: 14, note: expect.stringContaining('set by GATEHOUSE_RETENTION_DAYS') },
    })
  })

  it('an officer is refused; an admin’s change applies at once (live), is recorded before → after, and a bad value is refused with no record', async () => {
    await open()
    const officer = await session('Olu', false)
    expect(await call(officer, 'settings:set', { name: 'gateway_timeout_seconds', value: 5 })).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_REQUIRED' },
    })
    expect(station.config.gatewayTimeoutSeconds).toBe(90)

    const ada = await session('Ada', true)
    for (const value of [0, 1.5, -3]) {
      const bad = await call(ada, 'settings:set', { name: 'gateway_timeout_seconds', value })
      expect(bad).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringMatching(/gateway_timeout_seconds must be a whole number ≥ 1/) },
      })
    }
    expect(await call(ada, 'settings:set', { name: 'no_such_setting', value: 5 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    })
    expect(settingsRecords().map((e) => e.outcome)).toEqual(['refused'])
    expect(station.config.gatewayTimeoutSeconds).toBe(90)

    expect(await call(ada, 'settings:set', { name: 'gateway_timeout_seconds', value: 5 })).toMatchObject({
      ok: true,
      value: { name: 'gateway_timeout_seconds', value: 5, source: 'store', stored: 5, note: null },
    })
    // Live: the health sweep uses it now; the overview says so too.
    expect(station.config.gatewayTimeoutSeconds).toBe(5)
    expect(
      ((await call(ada, 'overview:get')) as { ok: true; value: { station: { gateway_timeout_seconds: number } } }).value.station
        .gateway_timeout_seconds,
    ).toBe(5)
    // A restart setting is stored and waits for the next start, said as such.
    expect(await call(ada, 'settings:set', { name: 'retention_days', value: 9 })).toMatchObject({
      ok: true,
      value: { value: 30, stored: 9, note: '9 applies at the next start of the station' },
    })
    // Back to the default.
    expect(await call(ada, 'settings:set', { name: 'gateway_timeout_seconds', value: null })).toMatchObject({
      ok: true,
      value: { value: 90, source: 'default', stored: null },
    })

    // Newest first; the refused values left no record.
    expect(settingsRecords().map((e) => [e.operator, e.outcome, e.before, e.after && (e.after as { value: number }).value])).toEqual([
      ['Ada', 'done', { value: 5, source: 'store', stored: 5 }, 90],
      ['Ada', 'done', { value: 30, source: 'default', stored: null }, 30],
      ['Ada', 'done', { value: 90, source: 'default', stored: null }, 5],
      ['Olu', 'refused', null, null],
    ])
  })
})
