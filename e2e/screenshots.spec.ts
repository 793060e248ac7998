// Screenshots of every view with a small venue's data, attached to the report, with the actions
// of each view on the way (e2e/screens.spec.ts shoots them at both screen sizes and refreshes docs/).
import { expect, test, E2E_OPERATOR } from './fixtures'
import { seedVenue } from './venue'
import { shoot } from './shoot'

test.use({ stationHost: '0.0.0.0' })

test('screenshots of each view', async ({ page, station }, testInfo) => {
  // Every view in one test: on a loaded machine it runs past the default 30 s (it did before the
  // notifications panel too: 34 s at a load average of 13). A generous bound, not a speed check.
  test.slow()
  await seedVenue(station)
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('feed-row').first()).toBeVisible()
  await expect(page.getByTestId('gateway-GW-NORTH')).toContainText('Online')
  await expect(page.getByTestId('alert-banner')).toContainText('GW-LOADING')
  await shoot(page, testInfo, 'live')

  await page.getByRole('link', { name: /^Alerts/ }).click()
  const offline = page.getByTestId('alerts-view').locator('li', { hasText: 'reports itself offline' })
  await offline.getByLabel(/^Note/).fill('Radioed the north gate')
  await offline.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(offline).toContainText(`Acknowledged by ${E2E_OPERATOR}`)
  await expect(page.getByRole('link', { name: /^Alerts/ })).toContainText('2')
  await shoot(page, testInfo, 'alerts')

  await page.getByRole('link', { name: 'Webhooks' }).click()
  await page.getByRole('link', { name: /access-event/ }).click()
  await expect(page.getByTestId('endpoint-access-event')).toBeVisible()
  await page.getByLabel('IP address or CIDR').fill('127.0.0.1')
  await page.getByLabel('Label (optional)').fill('This laptop')
  await page.getByRole('button', { name: 'Add entry' }).click()
  await expect(page.getByTestId('allowlist')).toContainText('This laptop')
  await page.getByRole('button', { name: 'Send test webhook' }).click()
  await expect(page.getByTestId('test-result')).toContainText('200')
  await page.getByLabel('IP address or CIDR').fill('192.168.10.7/24')
  await expect(page.getByTestId('allowlist-entry-hint')).toContainText('192.168.10.0/24')
  await shoot(page, testInfo, 'webhooks', true)

  await page.getByRole('link', { name: 'View logs' }).click()
  await expect(page.getByTestId('log-row').first()).toBeVisible()
  await page.getByTestId('log-row').filter({ hasText: '401' }).first().click()
  await expect(page.getByTestId('log-detail')).toContainText('x-gxp-signature')
  await page.getByRole('button', { name: 'Copy as curl (as received)' }).click()
  // A refused request is offered as received: its own signature header, never re-signed.
  await expect(page.getByTestId('curl-command')).toContainText("-H 'x-gxp-signature: sha256=")
  await shoot(page, testInfo, 'logs')

  await page.getByRole('link', { name: 'Attendees' }).click()
  await expect(page.getByTestId('attendee-table')).toContainText('Jane')
  await page.getByLabel('Search attendees').fill('smith')
  await expect(page.getByTestId('attendee-table').locator('tbody tr')).toHaveCount(1)
  await page.getByLabel('Search attendees').fill('')
  await expect(page.getByTestId('attendee-table').locator('tbody tr')).toHaveCount(12)
  await shoot(page, testInfo, 'attendees')

  // The light theme, remembered across a reload.
  await page.getByRole('link', { name: 'Live' }).click()
  await page.getByRole('button', { name: 'Switch to light theme' }).click()
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await expect(page.getByTestId('feed-row').first()).toBeVisible()
  await shoot(page, testInfo, 'live-light')
})
