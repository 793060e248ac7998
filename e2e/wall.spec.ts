// The wall display (#/wall) at 1920×1080 with 64 readers: every tile on the screen, names at
// 28 px and up and state words at 20 px and up (computed styles), no controls, and it comes back
// on its own after the station restarts.
import { expect, test } from './fixtures'
import { gatewayId, readerId, seedBigVenue } from './big-venue'
import { shoot } from './shoot'

test('wall display: 64 readers readable from 3 m, no controls, recovers its connection', async ({ page, station }, testInfo) => {
  test.slow() // two station starts on a loaded machine
  await page.setViewportSize({ width: 1920, height: 1080 })
  await seedBigVenue(station)
  await page.goto(`${station.dashboardUrl}#/wall`)
  const wall = page.getByTestId('wall-view')
  await expect(wall.getByTestId('reader-grid').locator('li')).toHaveCount(64)
  await expect(wall.getByTestId('wall-decisions').locator('li').first()).toBeVisible()

  const fontSizes = (selector: string): Promise<number[]> =>
    wall
      .locator(selector)
      .evaluateAll((els) => els.map((el) => Number.parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).fontSize)))
  const view = page.viewportSize()!
  const boxes = await wall
    .locator('[data-testid^="reader-G"], [data-testid^="wall-gateway-"]')
    .evaluateAll((els) =>
      els.map((el) => el.getBoundingClientRect()).map((r) => ({ top: r.top, left: r.left, bottom: r.bottom, right: r.right })),
    )
  const sizes = {
    readerNames: await fontSizes('.reader-id'),
    gatewayNames: await fontSizes('.tile-id'),
    attendeeNames: await fontSizes('.wall-name'),
    states: await fontSizes('.state'),
    inView: boxes.filter((r) => r.top >= 0 && r.left >= 0 && r.bottom <= view.height && r.right <= view.width).length,
    controls: await wall.locator('button, input, select, a').count(),
    scrolled: await page.locator('html').evaluate((el) => el.scrollTop),
  }
  expect(sizes.readerNames).toHaveLength(64)
  expect(sizes.gatewayNames).toHaveLength(8)
  for (const name of [...sizes.readerNames, ...sizes.gatewayNames, ...sizes.attendeeNames]) expect(name).toBeGreaterThanOrEqual(28)
  expect(sizes.states.length).toBeGreaterThanOrEqual(72)
  for (const state of sizes.states) expect(state).toBeGreaterThanOrEqual(20)
  expect(sizes.inView).toBe(72)
  expect(sizes.controls).toBe(0)
  expect(sizes.scrolled).toBe(0)
  await expect(wall.getByTestId(`wall-gateway-${gatewayId(5)}`)).toContainText('Offline')
  await expect(wall.getByTestId(`reader-${readerId(2, 3)}`)).toContainText('Degraded')
  await shoot(page, testInfo, 'wall-1920')

  await station.stop()
  await expect(wall.getByTestId('stale-since')).toContainText(/stale since \d\d:\d\d:\d\d/)
  await expect(wall.getByText(/^(Online|Healthy)$/)).toHaveCount(0)
  await shoot(page, testInfo, 'wall-1920-stale')

  await station.start()
  await expect(wall.getByTestId('stale-since')).toHaveCount(0)
  await expect(wall.getByTestId(`wall-gateway-${gatewayId(0)}`)).toContainText('Online')
})
