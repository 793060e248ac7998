// `gatehouse admin set-passphrase` and `gatehouse audit` as real child processes beside a running
// station: the passphrase the desk then takes, and the CLI's own changes in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { userInfo } from 'node:os'
import { startStation, type RunningStation } from '../test-support/station'
import { createDeskCommands } from '../station/desk/commands'
import { createDeskSession } from '../station/desk/desk-session'
import { runAsSession } from '../station/desk/session-run'
import type { AuditEntryView } from '../../shared/audit'

let s: RunningStation
beforeAll(async () => {
  s = await startStation()
})
afterAll(() => s.close())

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')))

function gatehouse(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--data-dir', s.dataDir],
      { env: childEnv, encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
    child.stdin!.end(stdin)
  })
}

describe('gatehouse admin set-passphrase', () => {
  it('refuses a short one, sets one the desk then unlocks with, and records itself from the CLI', async () => {
    const short = await gatehouse(['admin', 'set-passphrase'], 'short\n')
    expect(short.code).toBe(1)
    expect(short.stderr).toMatch(/at least 8/)
    expect(s.station.settings.get('admin_passphrase', null)).toBeNull()

    const set = await gatehouse(['admin', 'set-passphrase'], 'lantern bridge 77\nignored second line\n')
    expect(set.code, set.stderr).toBe(0)
    expect(JSON.stringify(s.station.settings.get('admin_passphrase', null))).not.toContain('lantern')

    const commands = createDeskCommands({ station: s.station, receiverUrls: () => [] })
    const session = createDeskSession('browser')
    await runAsSession({ commands, station: s.station }, session, 'session:identify', { operator: 'Ada' })
    expect(
      await runAsSession({ commands, station: s.station }, session, 'session:unlock-admin', { passphrase: 'lantern bridge 77' }),
    ).toMatchObject({
      ok: true,
      value: { role: 'admin' },
    })

    const added = await gatehouse(['allowlist', 'add', 'cvent', '10.9.0.0/16', '--label', 'ops'])
    expect(added.code, added.stderr).toBe(0)
    const audit = await gatehouse(['audit', '--json'])
    expect(audit.code, audit.stderr).toBe(0)
    const entries = JSON.parse(audit.stdout) as AuditEntryView[]
    const me = userInfo().username
    expect(entries.find((e) => e.command === 'cli allowlist add')).toMatchObject({
      operator: me,
      role: 'admin',
      source: 'cli',
      outcome: 'done',
      input: { args: ['add', 'cvent', '10.9.0.0/16'], label: 'ops' },
    })
    expect(entries.find((e) => e.command === 'cli admin set-passphrase')).toMatchObject({ operator: me, source: 'cli' })
    expect(entries.find((e) => e.command === 'session:unlock-admin')).toMatchObject({
      operator: 'Ada',
      outcome: 'done',
      input: { passphrase: '[redacted]' },
    })
    expect(audit.stdout).not.toContain('lantern')

    const later = await gatehouse(['audit', '--since', new Date(Date.now() + 60_000).toISOString(), '--json'])
    expect(JSON.parse(later.stdout)).toEqual([])
    const bad = await gatehouse(['audit', '--since', 'yesterday'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--since must be an ISO 8601/)
    const human = await gatehouse(['audit'])
    expect(human.stdout).toContain('cli allowlist add')
  })
})
