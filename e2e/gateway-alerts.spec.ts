// A gateway's status turns its tile online; silence turns it offline and raises an alert that
// an operator acknowledges by name in the Alerts view.
import { expect, test, E2E_OPERATOR } from './fixtures'

test.use({ stationEnv: { GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '2' } })

test('gateway online, then silent: offline tile, alert, acknowledged by name', async ({ page, station }) => {
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('live-view')).toBeVisible()
  await expect(page.getByText('No gateway has reported yet')).toBeVisible()

  const res = await station.post('mqtt-gateway-status', {
    gateway_id: 'GW-1',
    status: 'online',
    readers: [{ reader_id: 'R1', status: 'connected' }],
  })
  expect(res.status).toBe(200)
  const tile = page.getByTestId('gateway-GW-1')
  await expect(tile).toContainText('Online')
  await expect(tile).toContainText('1 reader')
  await expect(page.getByTestId('alert-banner')).toHaveCount(0)

  // Two seconds of silence (the sweep runs every second).
  await expect(tile).toContainText('Offline')
  await expect(tile).not.toContainText('Online')
  // A reader behind an offline gateway reads Offline, whatever it last reported.
  await expect(page.getByTestId('reader-R1')).toContainText('Offline')
  await expect(page.getByTestId('reader-R1')).not.toContainText('Healthy')
  const banner = page.getByTestId('alert-banner')
  await expect(banner).toContainText('Critical')
  await expect(banner).toContainText('GW-1')

  await banner.getByRole('link', { name: /Review 1 unacknowledged/ }).click()
  const alerts = page.getByTestId('alerts-view')
  const row = alerts.locator('li', { hasText: 'GW-1' }).first()
  await expect(row).toContainText('Gateway offline')
  // The name is the desk session's (asked once), not typed per alert.
  await expect(row.getByLabel('Operator name')).toHaveValue(E2E_OPERATOR)
  // An offline gateway is priority 1: acknowledged with a note saying what is being done.
  await row.getByLabel(/^Note/).fill('Checking its power')
  await row.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(row).toContainText(`Acknowledged by ${E2E_OPERATOR}`)
  await expect(banner).toContainText('Acknowledged')
  await expect(page.getByRole('link', { name: /^Alerts/ })).not.toContainText('1')

  // The name is remembered for the next alert.
  await page.reload()
  await expect(page.getByTestId('alerts-view').locator('li', { hasText: 'GW-1' }).first()).toContainText(`Acknowledged by ${E2E_OPERATOR}`)
  expect(await page.evaluate("localStorage.getItem('gatehouse:operator')")).toBe(E2E_OPERATOR)
})
