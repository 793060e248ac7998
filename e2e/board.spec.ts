// Live as an at-a-glance board with a venue of 64 readers, at the two screen sizes a desk has:
// every reader tile inside the window without scrolling, problems first, a disabled reader says
// Disabled, and when the station dies nothing stays Online or Healthy.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { CLI, expect, test, type Station } from './fixtures'
import { gatewayId, readerId, seedBigVenue } from './big-venue'
import type { Page } from '@playwright/test'
import { shoot } from './shoot'

const run = promisify(execFile)
const disable = (station: Station, reader: string) =>
  run(process.execPath, [CLI, 'reader', reader, '--disable', '--data-dir', station.dataDir])

/** Which of the elements `selector` matches lie outside the viewport, and whether anything scrolled. */
async function allInViewport(page: Page, selector: string): Promise<{ count: number; outside: string[]; scrolled: number }> {
  const view = page.viewportSize()!
  const boxes = await page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect()
      return { id: el.getAttribute('data-testid') ?? '?', top: r.top, left: r.left, bottom: r.bottom, right: r.right, height: r.height }
    }),
  )
  const outside = boxes
    .filter((r) => r.top < 0 || r.left < 0 || r.bottom > view.height || r.right > view.width || r.height === 0)
    .map((r) => r.id)
  const scrolled = await page.locator('main, .live-main, html').evaluateAll((els) => els.reduce((n, el) => n + el.scrollTop, 0))
  return { count: boxes.length, outside, scrolled }
}

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`64 readers at ${size.width}×${size.height}: all in view, problems first, Disabled, stale when the station dies`, async ({
    page,
    station,
  }, testInfo) => {
    await page.setViewportSize(size)
    const ids = await seedBigVenue(station)
    await disable(station, readerId(0, 5))
    await page.goto(station.dashboardUrl)
    await expect(page.getByTestId('reader-grid').locator('li')).toHaveCount(64)
    await expect(page.getByTestId(`reader-${readerId(0, 5)}`)).toContainText('Disabled')
    await expect(page.getByTestId(`reader-${readerId(0, 5)}`)).not.toContainText('Healthy')

    const placed = await allInViewport(page, '[data-testid^="reader-G"]')
    expect(placed.count).toBe(ids.length)
    expect(placed.outside).toEqual([])
    expect(placed.scrolled).toBe(0)
    const gateways = await allInViewport(page, '[data-testid^="gateway-GW-"]')
    expect(gateways.count).toBe(8)
    expect(gateways.outside).toEqual([])

    // Problems first: the offline gateway's readers, then the disabled one, then the degraded one.
    const order = await page
      .getByTestId('reader-grid')
      .locator('li')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-state')))
    expect(order.slice(0, 10)).toEqual([...Array<string>(8).fill('offline'), 'disabled', 'degraded'])
    expect(order.slice(10).every((s) => s === 'healthy')).toBe(true)
    await expect(page.getByTestId('gateway-tiles').locator('li').first()).toHaveAttribute('data-testid', `gateway-${gatewayId(5)}`)

    await shoot(page, testInfo, `board-${size.width}`)
    await station.stop()
    const live = page.getByTestId('live-view')
    await expect(page.getByTestId('stale-since').first()).toContainText(/stale since \d\d:\d\d:\d\d/)
    await expect(live.getByText(/^(Online|Healthy)$/)).toHaveCount(0)
    await expect(live.locator('[data-state="healthy"], [data-state="online"]')).toHaveCount(0)
    // Stale, with the Disconnected banner on top, every tile is still on the screen.
    expect((await allInViewport(page, '[data-testid^="reader-G"]')).outside).toEqual([])
    await shoot(page, testInfo, `board-${size.width}-stale`)
  })
}
