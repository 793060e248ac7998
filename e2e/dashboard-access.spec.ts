// Browser mode as a hostile page would try it: through a name that rebinds to 127.0.0.1, and from
// another origin while the operator's browser holds the desk cookie. Neither gets the page or a
// working socket; the operator's own tab, opened with the token, works.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import config from '../playwright.config'

// Chromium resolves the attacker's name to this machine, as a rebinding DNS answer would.
test.use({
  // Signed in by hand where a test wants it: the fixture's sign-in would try it on the attacker's page.
  deskRole: 'none',
  launchOptions: {
    ...config.use?.launchOptions,
    args: [...(config.use?.launchOptions?.args ?? []), '--host-resolver-rules=MAP rebind.example 127.0.0.1'],
  },
})

/** Tries a desk call over a WebSocket from the page's own origin: 'open' only if the station answered it. */
const trySocket = (page: Page, url: string): Promise<string> =>
  page.evaluate(
    (wsUrl) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl)
        ws.onmessage = () => {
          ws.send(JSON.stringify({ type: 'call', id: 1, command: 'secret:reveal', input: { endpoint: 'access-event' } }))
          ws.onmessage = (m) => resolve(`answered: ${String(m.data)}`)
        }
        ws.onerror = () => resolve('refused')
        ws.onclose = () => resolve('refused')
      }),
    url,
  )

let attacker: Server
let attackerOrigin: string
test.beforeAll(async () => {
  attacker = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>prize draw</title>'),
  )
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r))
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`
})
test.afterAll(() => new Promise<void>((r) => attacker.close(() => r())))

test('a rebinding name gets neither the page nor a socket, even with the token', async ({ page, station }) => {
  const { port } = new URL(station.dashboardOrigin)
  const res = await page.goto(`http://rebind.example:${port}/?token=${station.dashboardToken}`)
  expect(res?.status()).toBe(421)
  await expect(page.locator('body')).toContainText('does not answer to "rebind.example"')
  await expect(page.getByTestId('live-view')).toHaveCount(0)
  expect(await trySocket(page, `ws://rebind.example:${port}/ws?token=${station.dashboardToken}`)).toBe('refused')
  expect(await trySocket(page, `ws://rebind.example:${port}/ws`)).toBe('refused')
})

test("another origin gets no socket while the operator's browser is signed in", async ({ page, station }) => {
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  // The cookie is for 127.0.0.1 and is sent to the socket from any port there (same site): the
  // Origin check is what refuses the page.
  await page.goto(attackerOrigin)
  await expect(page).toHaveTitle('prize draw')
  const wsUrl = `${station.dashboardOrigin.replace(/^http/, 'ws')}/ws`
  expect(await trySocket(page, wsUrl)).toBe('refused')
  // Nor can it read the app or the session through fetch (no CORS: opaque at best).
  const read = await page.evaluate(async (url) => {
    try {
      return await (await fetch(url)).text()
    } catch {
      return 'blocked'
    }
  }, `${station.dashboardOrigin}/session`)
  expect(read).toBe('blocked')
})

test('a page opened without the token says so, instead of reconnecting forever', async ({ page, station }) => {
  const res = await page.goto(station.dashboardOrigin)
  expect(res?.status()).toBe(401)
  await expect(page.getByRole('heading', { name: 'Access token required' })).toBeVisible()
  await expect(page.getByTestId('live-view')).toHaveCount(0)
  expect(await trySocket(page, `${station.dashboardOrigin.replace(/^http/, 'ws')}/ws`)).toBe('refused')
  // With it, the address loses the token and the desk works.
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  expect(page.url()).not.toContain('token=')
})
