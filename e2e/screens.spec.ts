// Every view at the desk's two screen sizes, dark and light, with a venue's data: attached to the
// report to be looked at. With UPDATE_DOCS_SCREENSHOT=1 the Live and wall views at 1920×1080 go
// to docs/ for the README (so that `npm test` leaves the tree clean).
import { copyFile, mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'
import { seedVenue } from './venue'
import { shoot } from './shoot'

// Twelve views take minutes on a loaded machine: the seeded gateways must not time out (90 s by
// default) before the last view is shot, or "Online" would depend on the machine's speed.
test.use({ stationEnv: { GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '3600' } })

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs')
const VIEWS = ['live', 'alerts', 'webhooks', 'logs', 'attendees', 'audit', 'wall'] as const

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  test(`every view at ${size.width}×${size.height}, dark and light`, async ({ page, station }, testInfo) => {
    test.slow() // twelve views on a loaded machine: a hang guard, not a speed check
    await page.setViewportSize(size)
    await seedVenue(station)
    await page.goto(station.dashboardUrl)
    await expect(page.getByTestId('feed-row').first()).toBeVisible()
    for (const theme of ['dark', 'light'] as const) {
      if (theme === 'light') {
        await page.goto(`${station.dashboardUrl}#/live`)
        await page.getByRole('button', { name: 'Switch to light theme' }).click()
        await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
      }
      for (const view of VIEWS) {
        await page.goto(`${station.dashboardUrl}#/${view}`)
        if (view === 'live') await expect(page.getByTestId('gateway-GW-NORTH')).toContainText('Online')
        if (view === 'wall') await expect(page.getByTestId('wall-gateway-GW-NORTH')).toContainText('Online')
        if (view === 'logs') await expect(page.getByTestId('log-row').first()).toBeVisible()
        if (view === 'attendees') await expect(page.getByTestId('attendee-table')).toContainText('Jane')
        if (view === 'alerts') await expect(page.getByTestId('alerts-view')).toContainText('GW-LOADING')
        if (view === 'webhooks') await expect(page.getByRole('link', { name: /access-event/ })).toBeVisible()
        const path = await shoot(page, testInfo, `${view}-${size.width}-${theme}`)
        if (process.env.UPDATE_DOCS_SCREENSHOT === '1' && size.width === 1920 && theme === 'dark' && (view === 'live' || view === 'wall')) {
          await mkdir(DOCS, { recursive: true })
          await copyFile(path, join(DOCS, `${view}-view.png`))
        }
      }
    }
  })
}
