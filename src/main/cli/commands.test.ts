// The admin commands as real child processes (`tsx src/main/cli/main.ts`), against the data
// directory of a station running in this process: what they change, the station obeys within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { readdirSync, rmSync } from 'node:fs'
import { eventually, post, signGxp, startStation, tempDir, type RunningStation } from '../test-support/station'
import type { EndpointName } from '../../shared/webhooks'

let s: RunningStation

beforeAll(async () => {
  s = await startStation()
})
afterAll(() => s.close())

// The child must not pick up secrets or settings from the environment running the tests.
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')))

function gatehouse(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // node --import tsx (not npx: one process less to start on a loaded machine), with room to start.
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/main.ts', ...args, '--data-dir', s.dataDir],
      { env: childEnv, encoding: 'utf8', timeout: 90_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const BODY = '{"gateway_id":"GW-001","status":"online"}'
const postStatus = (secret: string, from = '127.0.0.1') =>
  post(s.url, '/webhook/v1/mqtt-gateway-status', BODY, { 'x-gxp-signature': signGxp(secret, BODY) }, { localAddress: from })
const secretOf = (endpoint: EndpointName): string => s.station.secrets.info(endpoint).secret

describe('gatehouse secret', () => {
  it('show prints the secret the station verifies with; rotate replaces it on the running station', async () => {
    const [shown, shownJson] = await Promise.all([
      gatehouse('secret', 'show', 'mqtt-gateway-status'),
      gatehouse('secret', 'show', 'cvent', '--json'),
    ])
    expect(shown.code).toBe(0)
    const old = secretOf('mqtt-gateway-status')
    expect(shown.stdout.split('\n')[0]).toBe(old)
    expect(old).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(shownJson.stdout)).toMatchObject({ endpoint: 'cvent', origin: 'stored', secret: secretOf('cvent') })

    const rotated = await gatehouse('secret', 'rotate', 'mqtt-gateway-status', '--grace-hours', '0')
    expect(rotated.code).toBe(0)
    const fresh = rotated.stdout.split('\n')[0]!
    expect(fresh).toMatch(/^[0-9a-f]{64}$/)
    expect(fresh).not.toBe(old)
    expect(rotated.stdout).toContain('the old one no longer verifies')
    await eventually(async () => (await postStatus(fresh)).status === 200, 10_000)
    expect((await postStatus(old)).status).toBe(401)
    expect(secretOf('cvent')).toBe(JSON.parse(shownJson.stdout).secret)
  })
})

describe('gatehouse allowlist', () => {
  it('add stores the canonical entry and takes effect at once; list shows it; remove lifts it', { timeout: 90_000 }, async () => {
    const key = secretOf('mqtt-gateway-status')
    expect((await postStatus(key, '127.0.0.2')).status).toBe(200)

    const [added, refused] = await Promise.all([
      gatehouse('allowlist', 'add', 'mqtt-gateway-status', '127.0.0.1/32', '--label', 'desk'),
      gatehouse('allowlist', 'add', 'cvent', '012.0.0.1'),
    ])
    expect(added.code).toBe(0)
    expect(added.stdout.trim()).toBe('allowed 127.0.0.1 (desk) on /webhook/v1/mqtt-gateway-status')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('"012.0.0.1" is not a valid IPv4 address')
    expect(s.station.allowlist.list('cvent')).toEqual([])

    // Listing runs while the station is being watched for the change.
    const [listed] = await Promise.all([
      gatehouse('allowlist', 'list', 'mqtt-gateway-status', '--json'),
      eventually(async () => (await postStatus(key, '127.0.0.2')).status === 403, 10_000),
    ])
    expect((await postStatus(key, '127.0.0.1')).status).toBe(200)
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toMatchObject([{ endpoint: 'mqtt-gateway-status', entry: '127.0.0.1', label: 'desk' }])

    // The last entry: without --open the list stays as it is, and the station keeps refusing.
    const kept = await gatehouse('allowlist', 'remove', 'mqtt-gateway-status', '127.0.0.1')
    expect(kept.code).toBe(1)
    expect(kept.stderr).toContain('it would then accept requests from any source address')
    expect(kept.stderr).toContain('--open')
    expect(s.station.allowlist.list('mqtt-gateway-status')).toHaveLength(1)
    expect((await postStatus(key, '127.0.0.2')).status).toBe(403)

    const removed = await gatehouse('allowlist', 'remove', 'mqtt-gateway-status', '127.0.0.1', '--open')
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain('now has no entries: it accepts requests from any source address')
    await eventually(async () => (await postStatus(key, '127.0.0.2')).status === 200, 10_000)
  })

  it('set replaces the whole list in one commit; an empty set needs --open', { timeout: 90_000 }, async () => {
    const [set, bad] = await Promise.all([
      gatehouse('allowlist', 'set', 'cvent', '127.0.0.4', '10.1.2.3/8=Gate LAN', '--json'),
      gatehouse('allowlist', 'set', 'access-event', '127.0.0.4', '10.0.0.0/33'),
    ])
    expect(set.code).toBe(0)
    expect((JSON.parse(set.stdout) as Array<{ entry: string; label: string | null }>).map((e) => [e.entry, e.label])).toEqual([
      ['127.0.0.4', null],
      ['10.0.0.0/8', 'Gate LAN'],
    ])
    // One bad entry and nothing changes.
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('10.0.0.0/33')
    expect(s.station.allowlist.list('access-event')).toEqual([])

    const [emptied, other] = await Promise.all([
      gatehouse('allowlist', 'set', 'cvent'),
      gatehouse('allowlist', 'set', 'attendee-sync', '127.0.0.5'),
    ])
    expect(emptied.code).toBe(1)
    expect(emptied.stderr).toContain('it would then accept requests from any source address')
    expect(s.station.allowlist.list('cvent').map((e) => e.entry)).toEqual(['127.0.0.4', '10.0.0.0/8'])
    expect(other.code).toBe(0)
    expect(other.stdout.trim()).toBe('/webhook/v1/attendee-sync now allows exactly: 127.0.0.5')
    expect((await gatehouse('allowlist', 'set', 'cvent', '--open')).code).toBe(0)
    expect(s.station.allowlist.list('cvent')).toEqual([])
    s.station.allowlist.replace('attendee-sync', [], { open: true })
    s.station.reloadAllowlist()
  })
})

describe('terminal-safe output', () => {
  // A synced name and a reported status carrying escape sequences: clear the screen, retitle the
  // window, an 8-bit CSI (C1), a right-to-left override that makes "Smith" read backwards.
  const NAME = 'Eve\u001b[2J\u001b]0;pwned\u0007'
  const LAST = 'Smith\u202e\u009b31m'
  const STATUS = '\u001b[31mOK\u001b[0m'
  // eslint-disable-next-line no-control-regex -- control characters are what must not get through
  const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

  it(
    'escapes control characters from stored data in every table; --json stays JSON and keeps the exact text',
    { timeout: 120_000 },
    async () => {
      // The receiver refuses such text now (see canonical-text.ts): it is what an older version's
      // store may hold, so it is put there directly, as that version would have.
      const sync = JSON.stringify({
        team_slug: 'venue',
        project_slug: 'expo',
        attendees: [{ external_id: 'ESC-1', first_name: NAME, last_name: LAST, credential_value: 'ESC-BADGE' }],
      })
      const refused = await post(s.url, '/webhook/v1/attendee-sync', sync, { 'x-gxp-signature': signGxp(secretOf('attendee-sync'), sync) })
      expect(JSON.parse(refused.body).results.errors).toHaveLength(1)
      const status = JSON.stringify({ gateway_id: 'GW-ESC', status: STATUS, readers: [{ reader_id: 'R-ESC', status: STATUS }] })
      expect(
        (
          await post(s.url, '/webhook/v1/mqtt-gateway-status', status, {
            'x-gxp-signature': signGxp(secretOf('mqtt-gateway-status'), status),
          })
        ).status,
      ).toBe(400)
      await s.station.queue.enqueue(() => {
        const db = s.station.db
        const project = s.station.access.projects.ensure('venue', 'expo')
        db.prepare(
          "INSERT INTO attendees (project_id, external_id, first_name, last_name, credential_value, created_at, updated_at) VALUES (?, 'ESC-1', ?, ?, 'ESC-BADGE', 0, 0)",
        ).run(project, NAME, LAST)
        const gw = db
          .prepare("INSERT INTO gateways (gateway_id, status, first_seen, last_seen) VALUES ('GW-ESC', ?, 0, ?) RETURNING id")
          .get(STATUS, Date.now()) as { id: number }
        db.prepare("INSERT INTO readers (reader_id, gateway_id, status) VALUES ('R-ESC', ?, ?)").run(gw.id, STATUS)
      })

      const [attendees, gateways, asJson] = await Promise.all([
        gatehouse('attendees', '--search', 'ESC-1'),
        gatehouse('status'),
        gatehouse('attendees', '--search', 'ESC-1', '--json'),
      ])
      for (const out of [attendees, gateways, asJson]) {
        expect(out.code, out.stderr).toBe(0)
        expect(out.stdout).not.toMatch(RAW_CONTROL)
      }
      expect(attendees.stdout).toContain('Eve\\e[2J\\e]0;pwned\\x07 Smith\\u202e\\x9b31m')
      expect(gateways.stdout).toContain('\\e[31mOK\\e[0m')
      // JSON escapes them its own way: the value read back is exactly what was synced.
      const [row] = JSON.parse(asJson.stdout) as Array<{ first_name: string; last_name: string }>
      expect(row).toMatchObject({ first_name: NAME, last_name: LAST })
    },
  )
})

describe('gatehouse logs', () => {
  it("--json prints the doc's Webhook Log Entry shape exactly, and filters by endpoint, status and date", async () => {
    const startedAt = new Date().toISOString()
    s.station.allowlist.add('access-event', '127.0.0.1')
    s.station.reloadAllowlist()
    const scan = '{"reader_id":"R-1","credential_value":"C-1"}'
    const scanHeaders = { 'x-gxp-signature': signGxp(secretOf('access-event'), scan) }
    expect((await post(s.url, '/webhook/v1/access-event', scan, scanHeaders, { localAddress: '127.0.0.2' })).status).toBe(403)
    expect((await post(s.url, '/webhook/v1/access-event', scan, scanHeaders)).status).toBe(200)
    const expected = await eventually(() => {
      const list = s.station.log.query({ limit: 50 })
      const scans = list.filter((e) => e.endpoint === '/webhook/v1/access-event')
      return scans.some((e) => e.status === 403) && scans.some((e) => e.status === 200) && list
    })

    const [all, filtered] = await Promise.all([
      gatehouse('logs', '--json'),
      gatehouse(
        'logs',
        '--json',
        '--endpoint',
        'access-event',
        '--status',
        '4xx',
        '--since',
        startedAt,
        '--until',
        new Date(Date.now() + 60_000).toISOString(),
      ),
    ])
    expect(all.code).toBe(0)
    const entries = JSON.parse(all.stdout) as Array<Record<string, unknown>>
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(['id', 'endpoint', 'method', 'status', 'source_ip', 'received_at', 'response_time_ms'])
    }
    expect(entries).toEqual(
      expected.map(({ id, endpoint, method, status, source_ip, received_at, response_time_ms }) => ({
        id,
        endpoint,
        method,
        status,
        source_ip,
        received_at,
        response_time_ms,
      })),
    )
    expect(entries.map((e) => e.status)).toEqual(expect.arrayContaining([200, 401, 403]))

    expect(filtered.code).toBe(0)
    expect(JSON.parse(filtered.stdout)).toMatchObject([
      { endpoint: '/webhook/v1/access-event', method: 'POST', status: 403, source_ip: '127.0.0.2' },
    ])
  })
})

describe('gatehouse station', () => {
  const station = (dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/main/cli/main.ts', 'station', '--data-dir', dataDir, ...args],
        { env: { ...childEnv, ...env }, encoding: 'utf8', timeout: 90_000 },
        (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      ),
    )

  it('a busy port is one line naming it and the flag and variable that change it', async () => {
    const busy = new URL(s.url).port
    const dir = tempDir()
    const res = await station(dir, ['--host', '127.0.0.1', '--port', busy, '--https-port', '0', '--no-dashboard'])
    rmSync(dir, { recursive: true, force: true })
    expect(res.code).toBe(1)
    expect(res.stderr.trim()).toBe(
      `gatehouse station: receiver port ${busy} is in use (another station?); choose another with --port or GATEHOUSE_PORT`,
    )
  })

  it('a bad port variable is refused before anything opens, naming it', async () => {
    const dir = tempDir()
    const res = await station(dir, ['--no-dashboard'], { GATEHOUSE_HTTPS_PORT: 'abc' })
    const written = readdirSync(dir)
    rmSync(dir, { recursive: true, force: true })
    expect(res.code).toBe(1)
    expect(res.stderr).toContain('GATEHOUSE_HTTPS_PORT must be a port number from 0 to 65535 (got "abc")')
    expect(written).toEqual([])
  })
})
