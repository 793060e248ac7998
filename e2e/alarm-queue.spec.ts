// The Alerts view as a queue: priority before age, the kind's instructions shown, a priority 1
// acknowledged only with a note (then in its history), and a snoozed alert coming back open.
import { expect, test, E2E_OPERATOR } from './fixtures'

test('queue order, instructions, acknowledging a P1 with a note', async ({ page, station }) => {
  // The older alert is a priority 3 (a reader in error); the newer a priority 1 (a gateway offline).
  expect(
    (await station.post('mqtt-gateway-status', { gateway_id: 'GW-2', status: 'online', readers: [{ reader_id: 'R-9', status: 'error' }] }))
      .status,
  ).toBe(200)
  expect((await station.post('mqtt-gateway-status', { gateway_id: 'GW-1', status: 'offline' })).status).toBe(200)

  await page.goto(`${station.dashboardUrl}#alerts`)
  const queue = page.getByTestId('alert-queue')
  const rows = queue.locator(':scope > li')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText('P1')
  await expect(rows.nth(0)).toContainText('Gateway offline')
  await expect(rows.nth(1)).toContainText('P3')
  await expect(rows.nth(1)).toContainText('Reader disconnected')
  // The kind's instructions are shown with the alert.
  await expect(rows.nth(0).getByTestId('alert-instructions')).toContainText("Check the gateway's power")

  const p1 = rows.nth(0)
  // The name is the desk session's, shown, not typed.
  await expect(p1.getByLabel('Operator name')).toHaveValue(E2E_OPERATOR)
  await p1.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(p1.getByRole('alert')).toContainText('write a note')
  await expect(p1.getByTestId('alert-state')).toHaveText('Open')
  await p1.getByLabel(/^Note/).fill('Called the gate supervisor on channel 3')
  await p1.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(p1.getByTestId('alert-state')).toHaveText('Acknowledged')
  await expect(p1).toContainText(`Acknowledged by ${E2E_OPERATOR}`)
  await expect(p1.locator('.alert-history')).toContainText(`${E2E_OPERATOR} acknowledged: Called the gate supervisor on channel 3`)

  // Keyboard: move to the P3 and acknowledge it (no note needed below priority 1).
  await page.locator('body').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('j')
  await page.keyboard.press('a')
  await expect(rows.nth(1).getByTestId('alert-state')).toHaveText('Acknowledged')
  // Filtered by state, the queue shows only what matches.
  await page.getByLabel('Filter by state').selectOption('open')
  await expect(queue).toHaveCount(0)
})

test('a snoozed alert leaves the queue and comes back open when the snooze runs out', async ({ page, station }) => {
  test.slow()
  expect(
    (await station.post('mqtt-gateway-status', { gateway_id: 'GW-3', status: 'online', readers: [{ reader_id: 'R-5', status: 'error' }] }))
      .status,
  ).toBe(200)
  await page.goto(`${station.dashboardUrl}#alerts`)
  const row = page.getByTestId('alert-queue').locator(':scope > li', { hasText: 'R-5' })
  await expect(row).toContainText('P3')
  await row.getByLabel('Snooze for').selectOption('1')
  await row.getByRole('button', { name: 'Snooze' }).click()
  // Out of the active queue (and of the banner) while snoozed; shown under the Snoozed filter.
  await expect(page.getByTestId('alert-queue')).toHaveCount(0)
  await expect(page.getByTestId('alert-banner')).toHaveCount(0)
  await page.getByLabel('Filter by state').selectOption('snoozed')
  await expect(page.getByTestId('alert-queue').locator(':scope > li', { hasText: 'R-5' })).toContainText('Snoozed until')
  await page.getByLabel('Filter by state').selectOption('active')
  // A minute later it is back, open, waiting to be acknowledged again.
  const back = page.getByTestId('alert-queue').locator(':scope > li', { hasText: 'R-5' })
  await expect(back.getByTestId('alert-state')).toHaveText('Open', { timeout: 80_000 })
  await expect(page.getByTestId('alert-banner')).toContainText('R-5')
  await back.click()
  await expect(back.locator('.alert-history')).toContainText('station woke')
})
