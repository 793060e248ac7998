// The desk itself, in Electron, wherever an Electron binary and a display exist; reported skipped,
// with the reason, elsewhere (no Electron binary can be downloaded on this project's CI machine).
// Electron is given the project root, as `npm start` does, so the app path is the root (its
// package.json, native/ and resources/), with the Electron-ABI better-sqlite3 the launcher builds.
import { _electron as electron, expect, test } from '@playwright/test'
import { createHmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { displayMissing, ensureNative, findElectron } from '../scripts/desk-launch.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** What the page's global scope looks like from a test typed for Node (no DOM library). */
type PageGlobals = {
  gatehouse?: { call?: unknown; subscribe?: unknown; transport?: unknown }
  require?: unknown
  process?: unknown
  location: { href: string; protocol: string }
}
const SECRET = 'electron-e2e-secret'
const binary = findElectron()

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

async function post(port: number, endpoint: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body)
  const res = await fetch(`http://127.0.0.1:${port}/webhook/v1/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gxp-signature': `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}` },
    body: text,
  })
  return res.status
}

test('the desk opens, gives its page the desk API and no Node, shows a posted scan, and quits cleanly from the tray', async () => {
  // The list reporter shows a skipped test's title only: print the reason with it.
  if ('why' in binary) console.log(`skipped: ${binary.why}`)
  test.skip('why' in binary, 'why' in binary ? binary.why : '')
  if (!('path' in binary)) return
  test.skip(displayMissing(), 'there is no display to open the desk window on (DISPLAY is not set)')
  // Where Electron exists, a desk that cannot load its database module is a failure, not a skip.
  const native = ensureNative({ say: (line: string) => console.log(line) })
  if ('why' in native) throw new Error(native.why)

  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-electron-'))
  const port = await freePort()
  const app = await electron.launch({
    executablePath: binary.path,
    // Chromium refuses to run as root without --no-sandbox; the page's own sandbox (webPreferences) is unaffected.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), root],
    env: {
      ...process.env,
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_HOST: '127.0.0.1',
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_HTTPS_PORT: '0',
      GATEHOUSE_SECRET: SECRET,
      GATEHOUSE_ELECTRON_NATIVE: native.file,
    },
  })
  try {
    const window = await app.firstWindow()
    await expect(window).toHaveTitle('Gatehouse')
    await expect(window.getByTestId('live-view')).toBeVisible({ timeout: 15_000 })
    await expect(window.getByTestId('connection')).toHaveText('Connected')

    // The preload's narrow API is there; Node is not (contextIsolation, sandbox, no nodeIntegration).
    const page = await window.evaluate(() => {
      const g = globalThis as unknown as PageGlobals
      return {
        call: typeof g.gatehouse?.call,
        subscribe: typeof g.gatehouse?.subscribe,
        transport: g.gatehouse?.transport,
        require: typeof g.require,
        process: typeof g.process,
        url: g.location.href,
      }
    })
    expect(page).toMatchObject({
      call: 'function',
      subscribe: 'function',
      transport: 'electron',
      require: 'undefined',
      process: 'undefined',
    })
    expect(page.url).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html/)

    // A scan posted to the receiver appears in the feed.
    const sync = {
      team_slug: 't',
      project_slug: 'p',
      attendees: [{ external_id: 'A1', first_name: 'Jane', last_name: 'Smith', credential_value: 'BADGE-1' }],
    }
    expect(await post(port, 'attendee-sync', sync)).toBe(200)
    expect(await post(port, 'access-event', { reader_id: 'R1', credential_value: 'BADGE-1', timestamp: new Date().toISOString() })).toBe(
      200,
    )
    const row = window.getByTestId('feed-row').filter({ hasText: 'Jane Smith' })
    await expect(row).toBeVisible()
    await expect(row).toContainText('Granted')

    // Navigation away from the desk's page is refused.
    await window.evaluate(() => {
      ;(globalThis as unknown as PageGlobals).location.href = 'https://example.invalid/'
    })
    await expect.poll(() => window.evaluate(() => (globalThis as unknown as PageGlobals).location.protocol)).toBe('file:')

    // Quit as the tray's "Quit" item does (it calls app.quit(); Playwright cannot click an OS tray
    // menu): the one quit path closes the station, then the process exits 0 with no unclean marker.
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      app.process().once('exit', (code, signal) => resolve({ code, signal })),
    )
    // (The process may be gone before the evaluation answers: its exit is what is asserted.)
    await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined)
    expect(await exited).toEqual({ code: 0, signal: null })
    expect(existsSync(join(dataDir, 'station-running'))).toBe(false)
  } finally {
    await app.close().catch(() => undefined)
    await rm(dataDir, { recursive: true, force: true })
  }
})
