// Each test gets its own station: `out/main/cli.js station` in browser mode as a child process,
// with a temp data directory and free ports (port 0, read back from the lines it prints).
import { test as base, expect, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export type Endpoint = 'mqtt-gateway-status' | 'access-event' | 'cvent' | 'attendee-sync'

export interface Station {
  /** The dashboard with its access token (`/?token=…`): the page trades it for a cookie. */
  dashboardUrl: string
  /** The dashboard's origin (`http://127.0.0.1:<port>`), for requests made without the token. */
  dashboardOrigin: string
  /** The access token the station was started with (kept across stop/start). */
  dashboardToken: string
  /** `http://127.0.0.1:<port>`: the receiver as a gateway on this machine reaches it. */
  receiverUrl: string
  /** `https://127.0.0.1:<port>` while HTTPS listens (see `stationHttps`), else null. */
  httpsUrl: string | null
  dataDir: string
  /** The endpoint's current signing secret, read from the station's secrets.json. */
  secret(endpoint: Endpoint): Promise<string>
  /** Posts JSON signed with `options.secret` (default: the current secret). */
  post(endpoint: Endpoint, body: unknown, options?: { secret?: string }): Promise<{ status: number; json: unknown }>
  /** Stops the station (the dashboard page stays open, disconnected). */
  stop(): Promise<void>
  /** Starts it again on the same data directory and ports. */
  start(): Promise<void>
}

export interface StationOptions {
  /** Extra environment for the station, e.g. GATEHOUSE_GATEWAY_TIMEOUT_SECONDS. */
  stationEnv: Record<string, string>
  /** The receiver's bind address; 0.0.0.0 lists the LAN URLs in the Webhooks view. */
  stationHost: string
  /**
   * 'default': the station's own choice (8443, skipped when taken); 'off': --https-port 0;
   * 'own-port': a free port of this test's, so HTTPS surely listens.
   */
  stationHttps: 'default' | 'off' | 'own-port'
}

export interface DeskOptions {
  /**
   * Who the page is at the desk: 'admin' (default; the fixture names the operator and sets or
   * enters the passphrase after each load of the dashboard), 'officer' (named only), or 'none'.
   */
  deskRole: 'admin' | 'officer' | 'none'
}

/** The passphrase the fixture sets on first run (as an operator would in the desk's dialog). */
export const E2E_PASSPHRASE = 'e2e admin passphrase'
export const E2E_OPERATOR = 'E2E Operator'

/** Names the operator (if the desk asks) and, for an admin, unlocks with the passphrase (setting it on first run). */
export async function signIn(page: Page, role: 'admin' | 'officer', name = E2E_OPERATOR): Promise<void> {
  const nameField = page.getByLabel('Your name at the desk')
  const operator = page.getByTestId('session-operator')
  await expect(nameField.or(operator.filter({ hasNotText: 'No name' })).first()).toBeVisible()
  if (await nameField.isVisible()) {
    await nameField.fill(name)
    await page.getByRole('button', { name: 'Start' }).click()
  }
  await expect(operator).not.toHaveText('No name')
  if (role !== 'admin') return
  const bar = page.getByTestId('session-bar')
  if ((await page.getByTestId('session-role').textContent()) === 'Admin') return
  await bar.getByRole('button', { name: /Unlock admin|Set admin passphrase/ }).click()
  await page.getByLabel('Admin passphrase', { exact: true }).fill(E2E_PASSPHRASE)
  if (await page.getByLabel('Admin passphrase again').isVisible()) await page.getByLabel('Admin passphrase again').fill(E2E_PASSPHRASE)
  await page.getByRole('button', { name: /^(Unlock|Set and unlock)$/ }).click()
  await expect(page.getByTestId('session-role')).toHaveText('Admin')
}

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js')

export const sign = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`

interface Running {
  child: ChildProcess
  receiver: string
  https: string | null
  dashboard: string
}

/** Spawns the station and waits for its two "listening" lines. */
async function launch(
  dataDir: string,
  options: StationOptions,
  ports: { receiver: number; dashboard: number; https: number | null },
  token: string,
): Promise<Running> {
  const args = ['station', '--data-dir', dataDir, '--host', options.stationHost, '--port', String(ports.receiver)]
  if (ports.https !== null) args.push('--https-port', String(ports.https))
  args.push('--dashboard-host', '127.0.0.1', '--dashboard-port', String(ports.dashboard))
  const child = spawn(process.execPath, [CLI, ...args], {
    // A fixed token: a page stays signed in across stop() and start().
    env: { ...process.env, GATEHOUSE_DASHBOARD_TOKEN: token, ...options.stationEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  return new Promise<Running>((resolve, reject) => {
    let receiver: string | null = null
    let https: string | null = null
    const timer = setTimeout(() => reject(new Error(`the station did not start within 60 s:\n${output.join('')}`)), 60_000)
    child.once('exit', (code) => reject(new Error(`the station exited with ${code}:\n${output.join('')}`)))
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(`${line}\n`)
      const r = /^receiver listening on (http:\/\/\S+)$/.exec(line)
      if (r) receiver = r[1]!.replace('0.0.0.0', '127.0.0.1')
      const s = /^receiver listening on (https:\/\/\S+)$/.exec(line)
      if (s) https = s[1]!.replace('0.0.0.0', '127.0.0.1')
      const d = /^dashboard on (http:\/\/\S+)$/.exec(line)
      if (d && receiver) {
        clearTimeout(timer)
        resolve({ child, receiver, https, dashboard: d[1]! })
      }
    })
  })
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(forced)
}

const portOf = (url: string): number => Number(new URL(url).port)

/** A port free right now on `host` (the station binds it a moment later). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function startStation(options: StationOptions): Promise<{ station: Station; dispose: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-e2e-'))
  const httpsPort = options.stationHttps === 'off' ? 0 : options.stationHttps === 'own-port' ? await freePort(options.stationHost) : null
  const token = randomBytes(16).toString('hex')
  let running: Running | null = await launch(dataDir, options, { receiver: 0, dashboard: 0, https: httpsPort }, token)
  const urls = { receiver: running.receiver, dashboard: running.dashboard, https: running.https }

  const secret = async (endpoint: Endpoint): Promise<string> => {
    const file = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { sealed: string; data: string }
    const data = JSON.parse(file.data) as { sources: Record<string, { current: { secret: string } }> }
    return data.sources[endpoint]!.current.secret
  }
  const station: Station = {
    dashboardUrl: urls.dashboard,
    dashboardOrigin: new URL(urls.dashboard).origin,
    dashboardToken: token,
    receiverUrl: urls.receiver,
    httpsUrl: urls.https,
    dataDir,
    secret,
    async post(endpoint, body, opts) {
      const text = JSON.stringify(body)
      const res = await fetch(`${urls.receiver}/webhook/v1/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': sign(opts?.secret ?? (await secret(endpoint)), text) },
        body: text,
      })
      const raw = await res.text()
      let json: unknown = raw
      try {
        json = JSON.parse(raw)
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, json }
    },
    async stop() {
      if (running) await terminate(running.child)
      running = null
    },
    async start() {
      running ??= await launch(
        dataDir,
        options,
        { receiver: portOf(urls.receiver), dashboard: portOf(urls.dashboard), https: httpsPort },
        token,
      )
    },
  }
  const dispose = async (): Promise<void> => {
    await station.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
  return { station, dispose }
}

export const test = base.extend<StationOptions & DeskOptions & { station: Station }>({
  deskRole: ['admin', { option: true }],
  // Every load of the dashboard (goto, reload) is followed by signing in as `deskRole`.
  page: async ({ page, deskRole }, use) => {
    if (deskRole !== 'none') {
      const goto = page.goto.bind(page)
      const reload = page.reload.bind(page)
      const after = async <T>(res: T): Promise<T> => {
        const status = (res as { status?: () => number } | null)?.status?.()
        // The wall display has no desk frame and nobody signs in at it (it may only read).
        if (status === 200 && !/#\/?wall\b/.test(page.url())) await signIn(page, deskRole)
        return res
      }
      page.goto = async (url, options) => after(await goto(url, options))
      page.reload = async (options) => after(await reload(options))
    }
    await use(page)
  },
  stationEnv: [{}, { option: true }],
  stationHost: ['127.0.0.1', { option: true }],
  stationHttps: ['default', { option: true }],
  station: async ({ stationEnv, stationHost, stationHttps }, use) => {
    const { station, dispose } = await startStation({ stationEnv, stationHost, stationHttps })
    try {
      await use(station)
    } finally {
      await dispose()
    }
  },
})

export { expect }

/** Registers attendees in project t/p (credential = `credential_value`). */
export async function seedAttendees(
  station: Station,
  attendees: Array<{ id: string; first: string; last: string; credential: string; email?: string }>,
): Promise<void> {
  const res = await station.post('attendee-sync', {
    team_slug: 't',
    project_slug: 'p',
    sync_mode: 'upsert',
    attendees: attendees.map((a) => ({
      external_id: a.id,
      first_name: a.first,
      last_name: a.last,
      credential_value: a.credential,
      email: a.email,
    })),
  })
  expect(res.status, JSON.stringify(res.json)).toBe(200)
}

export const scan = (
  reader: string,
  credential: string,
  at = new Date(),
): { reader_id: string; credential_value: string; timestamp: string } => ({
  reader_id: reader,
  credential_value: credential,
  timestamp: at.toISOString(),
})
