// Guard rail: an allowlist entry that would lock out a gateway seen in the last hour is not saved
// without a word: the desk lists the gateway and its address and asks; cancelled, nothing changes.
import { expect, test } from './fixtures'

test('the allowlist preview lists the gateway that would be locked out, and asks', async ({ page, station }) => {
  const report = { gateway_id: 'GW-NORTH', status: 'online', readers: [{ reader_id: 'N-1', status: 'connected' }] }
  expect((await station.post('mqtt-gateway-status', report)).status).toBe(200)
  await page.goto(`${station.dashboardUrl}#/webhooks`)
  await page.getByRole('link', { name: /mqtt-gateway-status/ }).click()
  const detail = page.getByTestId('endpoint-mqtt-gateway-status')
  await detail.getByLabel('IP address or CIDR').fill('10.0.0.0/8')
  await detail.getByRole('button', { name: 'Add entry' }).click()

  const preview = page.getByTestId('lockout-preview')
  await expect(preview).toContainText('GW-NORTH')
  await expect(preview).toContainText('127.0.0.1')
  await expect(page.getByRole('dialog')).toContainText('would refuse 1 source seen in the last hour')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(preview).toHaveCount(0)
  await expect(detail.getByTestId('allowlist')).toHaveCount(0)
  expect((await station.post('mqtt-gateway-status', report)).status).toBe(200)

  // An entry that keeps the gateway in is saved without a question.
  await detail.getByLabel('IP address or CIDR').fill('127.0.0.0/8')
  await detail.getByRole('button', { name: 'Add entry' }).click()
  await expect(detail.getByTestId('allowlist')).toContainText('127.0.0.0/8')
  await expect(preview).toHaveCount(0)
  expect((await station.post('mqtt-gateway-status', report)).status).toBe(200)
})
