// `gatehouse notify …` as a real child process beside a station running in this process: a target
// added from the CLI gets the station's alert changes, signed with the secret the CLI printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { Webhook } from 'standardwebhooks'
import { eventually, startStation, type RunningStation } from '../test-support/station'
import { startNotifyReceiver, type NotifyReceiver } from '../test-support/notify-receiver'
import type { NotifyTargetView } from '../../shared/notify'

let s: RunningStation
let r: NotifyReceiver

beforeAll(async () => {
  s = await startStation({ notify: { tickMs: 50, schedule: { delaysMs: [100], repeatMs: 200, giveUpAfterMs: 60_000, jitter: 0 } } })
  r = await startNotifyReceiver()
})
afterAll(async () => {
  await r.close()
  await s.close()
})

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')))
function gatehouse(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/main/cli/main.ts', 'notify', ...args, '--data-dir', s.dataDir],
      { env: childEnv, encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

// Each child is a tsx start (seconds on a loaded machine): generous bounds, no speed asserted.
describe('gatehouse notify', { timeout: 180_000 }, () => {
  it('add prints the secret that verifies what the station then sends; list masks it', async () => {
    const added = await gatehouse('add', 'night-shift', r.url, '--min-priority', '3')
    expect(added.code, added.stderr).toBe(0)
    const secret = added.stdout.split('\n')[0]!
    expect(secret).toMatch(/^whsec_/)
    expect(added.stdout).toContain('alerts of priority 1–3 (critical, warning)')

    await s.station.queue.enqueue(() => s.station.access.alerts.raise('reader_disconnected', 'R-7', 'Reader R-7 is error'))
    await eventually(() => r.received.length === 1)
    const got = r.received[0]!
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({
      type: 'alert.raised',
      data: { alert: { subject: 'R-7' }, priority: 3 },
    })

    const list = await gatehouse('list')
    const json = await gatehouse('list', '--json')
    expect(list.stdout).toContain('night-shift')
    expect(list.stdout).toContain(`whsec_••••••••${secret.slice(-4)}`)
    expect(list.stdout).not.toContain(secret)
    expect(list.stdout).toMatch(/ok \d+ s ago/)
    const [view] = JSON.parse(json.stdout) as NotifyTargetView[]
    expect(view).toMatchObject({ name: 'night-shift', pending: 0, given_up: 0, last_status: 204, last_error: null })
    expect(json.stdout).not.toContain(secret)
  })

  it('test reports the answer and exits 1 on failure; list shows the failure and what waits', async () => {
    const ok = await gatehouse('test', 'night-shift')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/^night-shift answered 204 in \d+ ms/)

    r.setMode({ kind: 'status', status: 500, body: 'relay broke' })
    await s.station.queue.enqueue(() => s.station.access.alerts.raise('gateway_offline', 'GW-9', 'Gateway GW-9 silent'))
    await eventually(() => s.station.notify.list()[0]!.last_error)
    const failed = await gatehouse('test', 'night-shift')
    const list = await gatehouse('list')
    expect(failed.code).toBe(1)
    expect(failed.stdout).toContain('night-shift failed: HTTP 500: relay broke')
    expect(list.stdout).toMatch(/night-shift .* 1 +0 +failing since \d+ s ago: HTTP 500: relay broke/)
    r.setMode({ kind: 'ok' })
  })

  it('refuses bad input with a clear message and removes a target', async () => {
    // One child at a time: each is a tsx start, and the machine is shared.
    const bad: Array<Awaited<ReturnType<typeof gatehouse>>> = []
    for (const args of [
      ['add', 'relay', 'ftp://relay.example/x'],
      ['add', 'relay', 'https://relay.example/x', '--min-priority', '9'],
      ['add', 'night-shift', r.url],
      ['frobnicate', 'nobody'],
    ])
      bad.push(await gatehouse(...args))
    expect(bad.map((b) => b.code)).toEqual([1, 1, 1, 1])
    expect(bad[0]!.stderr).toContain('Only http:// and https:// URLs are called (got ftp:)')
    expect(bad[1]!.stderr).toContain('--min-priority is 1 (only the most urgent) to 5 (every alert)')
    expect(bad[2]!.stderr).toContain('a target named "night-shift" exists already')
    expect(bad[3]!.stderr).toContain('usage: notify list')
    expect((await gatehouse('test', 'nobody')).stderr).toContain('no notification target "nobody"')

    const removed = await gatehouse('remove', 'night-shift')
    expect(removed.code).toBe(0)
    expect(s.station.notify.list()).toEqual([])
    expect((await gatehouse('list')).stdout).toContain('no notification targets')
  })
})
