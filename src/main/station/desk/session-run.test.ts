// Roles at the desk through the real command path: who may run what, the operator bound into `by`,
// the admin unlock and its idle timeout, and the audit log of changes (secrets never in it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { createStation, type Station } from '../station'
import { createDeskCommands, type DeskCommands } from './commands'
import { createDeskSession, type DeskSession } from './desk-session'
import { runAsSession } from './session-run'
import { COMMAND_ACCESS } from '../../../shared/command-access'
import { COMMAND_NAMES, type Result } from '../../../shared/contract'
import { tempDir } from '../../test-support/station'

let dir: string
let station: Station
let commands: DeskCommands

beforeEach(async () => {
  dir = tempDir('gatehouse-roles-')
  station = await createStation({ dataDir: dir, env: {} })
  commands = createDeskCommands({ station, receiverUrls: () => [] })
})
afterEach(async () => {
  await station.close()
  rmSync(dir, { recursive: true, force: true })
})

const call = (session: DeskSession, name: string, input: unknown = {}): Promise<Result<unknown>> =>
  runAsSession({ commands, station }, session, name, input)

async function admin(name = 'Ada'): Promise<DeskSession> {
  const s = createDeskSession('browser')
  await call(s, 'session:identify', { operator: name })
  if (!station.settings.get('admin_passphrase', null))
    expect((await call(s, 'session:set-passphrase', { passphrase: 'gate house 2026' })).ok).toBe(true)
  else expect((await call(s, 'session:unlock-admin', { passphrase: 'gate house 2026' })).ok).toBe(true)
  return s
}

describe('command classification', () => {
  it('classifies every desk command, and nothing that is not one', () => {
    expect(Object.keys(COMMAND_ACCESS).sort()).toEqual([...COMMAND_NAMES].sort())
    // Everything that reveals or changes a secret or who may post is admin.
    for (const name of [
      'secret:reveal',
      'secret:rotate',
      'allowlist:add',
      'allowlist:remove',
      'allowlist:set',
      'notify:reveal',
      'logs:curl',
      'readers:configure',
      'http:set',
      'lockdown:set',
      'settings:set',
    ] as const) {
      expect(COMMAND_ACCESS[name], name).toBe('admin')
    }
    expect(COMMAND_ACCESS['alerts:acknowledge']).toBe('officer')
  })
})

describe('officer and admin sessions', () => {
  it('lets an officer watch and acknowledge, never reveal a secret or change an allowlist', async () => {
    await admin() // a passphrase exists
    const officer = createDeskSession('browser')
    expect(await call(officer, 'allowlist:add', { endpoint: 'cvent', entry: '10.0.0.0/8' })).toMatchObject({
      ok: false,
      error: { code: 'OPERATOR_REQUIRED' },
    })
    expect((await call(officer, 'overview:get')).ok).toBe(true)
    await call(officer, 'session:identify', { operator: 'Kim' })
    expect(await call(officer, 'secret:reveal', { endpoint: 'cvent' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } })
    expect(await call(officer, 'allowlist:add', { endpoint: 'cvent', entry: '10.0.0.0/8' })).toMatchObject({
      ok: false,
      error: { code: 'ADMIN_REQUIRED' },
    })
    expect(station.allowlist.list('cvent')).toEqual([])
    expect(await call(officer, 'session:unlock-admin', { passphrase: 'not the one' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE' },
    })
    expect(await call(officer, 'secret:reveal', { endpoint: 'cvent' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } })
  })

  it('binds the session operator into `by`, whatever the input says', async () => {
    const s = await admin('Ada')
    // gateway_offline is priority 1: acknowledging it needs a note.
    const raised = await station.queue.enqueue(() => station.access.alerts.raise('gateway_offline', 'GW-1', 'silent'))
    const id = raised!.id
    const ack = await call(s, 'alerts:acknowledge', { id, by: 'Mallory', note: 'Radioed the gate supervisor' })
    expect(ack).toMatchObject({ ok: true, value: { acknowledged_by: 'Ada' } })
  })

  it('times out an unused admin unlock, and a new name locks it again', async () => {
    const s = await admin()
    expect((await call(s, 'secret:reveal', { endpoint: 'cvent' })).ok).toBe(true)
    s.adminActiveAt = Date.now() - s.idleMs - 1
    expect(await call(s, 'secret:reveal', { endpoint: 'cvent' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } })
    expect((await call(s, 'session:unlock-admin', { passphrase: 'gate house 2026' })).ok).toBe(true)
    expect((await call(s, 'session:get')) as { value: { role: string } }).toMatchObject({ value: { role: 'admin' } })
    await call(s, 'session:identify', { operator: 'Someone Else' })
    expect((await call(s, 'session:get')) as { value: { role: string } }).toMatchObject({ value: { role: 'officer' } })
  })

  it('locks a session out for a minute after five wrong passphrases', async () => {
    await admin()
    const s = createDeskSession('browser')
    await call(s, 'session:identify', { operator: 'Guesser' })
    for (let i = 0; i < 5; i++) await call(s, 'session:unlock-admin', { passphrase: `guess ${i}` })
    expect(await call(s, 'session:unlock-admin', { passphrase: 'gate house 2026' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: /wait a minute/ },
    })
  })

  it('sets the passphrase on first run only', async () => {
    await admin()
    const s = createDeskSession('browser')
    await call(s, 'session:identify', { operator: 'Kim' })
    expect(await call(s, 'session:set-passphrase', { passphrase: 'takeover attempt' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    expect(await call(s, 'secret:reveal', { endpoint: 'cvent' })).toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } })
  })
})

describe('the audit log', () => {
  it('records changes with who, role, before → after and source; refusals too; never a secret', async () => {
    const s = await admin('Ada')
    const officer = createDeskSession('browser')
    await call(officer, 'session:identify', { operator: 'Kim' })
    await call(officer, 'allowlist:add', { endpoint: 'cvent', entry: '10.0.0.0/8' })
    expect((await call(s, 'allowlist:add', { endpoint: 'cvent', entry: '10.0.0.0/8', label: 'office' })).ok).toBe(true)
    const secret = station.secrets.info('cvent').secret
    expect((await call(s, 'secret:reveal', { endpoint: 'cvent' })).ok).toBe(true)
    expect((await call(s, 'secret:rotate', { endpoint: 'cvent', grace_hours: 0 })).ok).toBe(true)
    const rotated = station.secrets.info('cvent').secret
    expect((await call(s, 'logs:query', { limit: 5 })).ok).toBe(true)

    const entries = station.audit.list()
    const text = JSON.stringify(entries)
    expect(text).not.toContain(secret)
    expect(text).not.toContain(rotated)
    expect(text).not.toContain('gate house 2026')
    expect(text).not.toContain(secret.slice(0, 4) + '•')
    expect(entries.some((e) => e.command === 'logs:query')).toBe(false)
    const byCommand = (c: string) => entries.filter((e) => e.command === c)
    expect(byCommand('allowlist:add')).toEqual([
      expect.objectContaining({
        operator: 'Ada',
        role: 'admin',
        outcome: 'done',
        source: s.source,
        before: [],
        after: expect.objectContaining({ entry: '10.0.0.0/8' }),
      }),
      expect.objectContaining({ operator: 'Kim', role: 'officer', outcome: 'refused', source: officer.source, detail: 'ADMIN_REQUIRED' }),
    ])
    expect(byCommand('secret:reveal')[0]).toMatchObject({ operator: 'Ada', outcome: 'done', after: '[redacted]' })
    expect(byCommand('session:set-passphrase')[0]).toMatchObject({ operator: 'Ada', input: { passphrase: '[redacted]' } })
    expect(byCommand('secret:rotate')[0]).toMatchObject({
      before: expect.objectContaining({ origin: 'stored' }),
      after: expect.objectContaining({ masked: '[redacted]' }),
    })
  })
})
