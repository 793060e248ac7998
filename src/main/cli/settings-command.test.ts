// `gatehouse settings` and `gatehouse status` as real child processes beside a running station:
// the gateway timeout set through the CLI reaches the station at once, and `status` judges a
// gateway offline exactly when the station raised gateway_offline, whatever the CLI's own
// environment says. And a CLI change's audit record commits with the change, or not at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { at, openAccessStation, type AccessStation } from '../test-support/access-station'
import { eventually } from '../test-support/station'
import { openCore } from '../station/station'
import { auditedWrites, type CliChange } from './cli-audit'
import type { CommandContext } from './context'
import type { AuditEntryView } from '../../shared/audit'
import type { GatewayView } from '../../shared/domain'
import type { RuntimeSettingsView } from '../../shared/runtime-settings'

let s: AccessStation
beforeAll(async () => {
  s = await openAccessStation({ sweepIntervalMs: 100, watchIntervalMs: 100 })
})
afterAll(() => s.close())

// The CLI's own environment says 1 s: it must not matter while a station runs.
const childEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_'))),
  GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '1',
}

function gatehouse(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--data-dir', s.dataDir],
      { env: childEnv, encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const cliHealth = async (id: string): Promise<string | undefined> => {
  const r = await gatehouse(['status', '--json'])
  expect(r.code, r.stderr).toBe(0)
  return (JSON.parse(r.stdout) as { gateways: GatewayView[] }).gateways.find((g) => g.gateway_id === id)?.health
}
const stationOffline = (id: string): boolean => s.station.access.alerts.open().some((a) => a.kind === 'gateway_offline' && a.subject === id)
const records = async (command: string): Promise<AuditEntryView[]> =>
  (JSON.parse((await gatehouse(['audit', '--json'])).stdout) as AuditEntryView[]).filter((e) => e.command === command)

describe('gatehouse settings and status beside a running station', () => {
  it('status uses the timeout the station uses: online while the station says so, offline once it raised gateway_offline', async () => {
    expect((await s.send('mqtt-gateway-status', { gateway_id: 'GW-T', status: 'online', readers: [], timestamp: at(0) })).status).toBe(200)
    const heard = Date.now()
    // Past the CLI's own 1 s (its environment), well within the station's 90 s.
    await eventually(() => Date.now() - heard > 1500)
    expect(await cliHealth('GW-T')).toBe('online')
    expect(stationOffline('GW-T')).toBe(false)

    const set = await gatehouse(['settings', 'set', 'gateway_timeout_seconds', '3', '--by', 'Ada'])
    expect(set.code, set.stderr).toBe(0)
    expect(set.stdout).toContain('gateway_timeout_seconds: 90 (default) → 3 stored')
    // The station takes the live setting up within a second, and its sweep raises the alert.
    await eventually(() => stationOffline('GW-T'), 20_000)
    expect(s.station.config.gatewayTimeoutSeconds).toBe(3)
    expect(await cliHealth('GW-T')).toBe('offline')

    const shown = await gatehouse(['settings', 'show', '--json'])
    expect((JSON.parse(shown.stdout) as RuntimeSettingsView).settings.find((x) => x.name === 'gateway_timeout_seconds')).toMatchObject({
      value: 3,
      source: 'store',
      stored: 3,
    })
    // The change is recorded once, with its operator and before → after.
    expect(await records('cli settings set')).toMatchObject([
      { operator: 'Ada', source: 'cli', outcome: 'done', before: { value: 90, source: 'default', stored: null }, after: { stored: 3 } },
    ])
  })

  it('a bad value is refused by the one parser with a clear message, changes nothing and leaves no record', async () => {
    const before = (await records('cli settings set')).length
    for (const value of ['0', 'soon', '2.5']) {
      const bad = await gatehouse(['settings', 'set', 'gateway_timeout_seconds', value, '--by', 'Ada'])
      expect(bad.code).toBe(1)
      expect(bad.stderr).toContain(`refused: gateway_timeout_seconds must be a whole number ≥ 1 (got "${value}"); nothing changed`)
    }
    const unnamed = await gatehouse(['settings', 'set', 'gateway_timeout_seconds', '5'])
    expect(unnamed.code).toBe(1)
    expect(unnamed.stderr).toMatch(/--by NAME is required/)
    const badAllowlist = await gatehouse(['allowlist', 'add', 'cvent', 'not-an-address'])
    expect(badAllowlist.code).toBe(1)
    expect(await records('cli settings set')).toHaveLength(before)
    expect(await records('cli allowlist add')).toHaveLength(0)
    expect(s.station.config.gatewayTimeoutSeconds).toBe(3)
  })
})

describe('a CLI change and its audit record', () => {
  const ctx = (args: string[]): CommandContext => ({
    args,
    values: { by: 'Ada' },
    dataDir: s.dataDir,
    json: false,
    out: () => undefined,
    err: () => undefined,
  })

  it('commit together: a write that fails leaves neither; one that succeeds always has its record with before → after', async () => {
    const change: CliChange = { command: 'allowlist add', row: null }
    const c = ctx(['add', 'attendee-sync', '10.20.0.0/16'])
    const core = openCore({ dataDir: s.dataDir, followStation: true, wrapWrite: (built) => auditedWrites(c, change, built) })
    try {
      const auditBefore = core.audit.list().length
      await expect(
        core.queue.enqueue(() => {
          core.allowlist.add('attendee-sync', '10.20.0.0/16')
          throw new Error('fails after changing')
        }),
      ).rejects.toThrow('fails after changing')
      expect(core.allowlist.list('attendee-sync')).toEqual([])
      expect(core.audit.list()).toHaveLength(auditBefore)
      expect(change.row).toBeNull()

      await core.queue.enqueue(() => core.allowlist.add('attendee-sync', '10.20.0.0/16', 'hall'))
      await core.queue.enqueue(() => core.allowlist.add('attendee-sync', '10.30.0.0/16', 'annex'))
      // Two writes of one command: one record, "before" from the first, "after" from the latest.
      const mine = core.audit.list().filter((e) => e.command === 'cli allowlist add')
      expect(mine).toHaveLength(1)
      expect(mine[0]).toMatchObject({ id: change.row, operator: 'Ada', source: 'cli', before: [] })
      expect((mine[0]!.after as Array<{ entry: string }>).map((e) => e.entry).sort()).toEqual(['10.20.0.0/16', '10.30.0.0/16'])
    } finally {
      core.close()
    }
  })
})
