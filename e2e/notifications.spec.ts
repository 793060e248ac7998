// Notification targets from the desk: add one, reveal its secret, send a test, and see a real alert
// arrive at a local receiver signed so the standardwebhooks package verifies it; then remove it.
import { Webhook } from 'standardwebhooks'
import { expect, test } from './fixtures'
import { startNotifyReceiver } from '../src/main/test-support/notify-receiver'

test('an admin adds a target, tests it, and alert changes reach it signed', async ({ page, station }) => {
  const receiver = await startNotifyReceiver()
  try {
    await page.goto(`${station.dashboardUrl}#/webhooks?section=security`)
    const panel = page.locator('#notifications')
    await expect(panel).toContainText('No targets yet')

    await panel.getByLabel('Name').fill('night-supervisors')
    await panel.getByLabel('URL').fill('ftp://relay.example/x')
    await expect(panel.locator('#notify-url-hint')).toContainText('Only http:// and https:// URLs')
    await expect(panel.getByRole('button', { name: 'Add target' })).toBeDisabled()
    await panel.getByLabel('URL').fill(receiver.url)
    await panel.locator('form').getByRole('combobox').selectOption('3')
    await panel.getByRole('button', { name: 'Add target' }).click()

    const row = panel.getByTestId('notify-target')
    await expect(row).toContainText('night-supervisors')
    const secretValue = row.getByTestId('notify-secret')
    await expect(secretValue).toHaveText(/^whsec_•{8}.{4}$/)
    await row.getByRole('button', { name: 'Reveal' }).click()
    await expect(secretValue).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/)
    const secret = (await secretValue.textContent())!

    await row.getByRole('button', { name: 'Send test' }).click()
    await expect(row).toContainText('Test delivered: night-supervisors answered 204')
    const verify = (i: number): unknown => {
      const got = receiver.received[i]!
      return new Webhook(secret).verify(got.body, got.headers as Record<string, string>)
    }
    expect(verify(0)).toMatchObject({ type: 'notification.test' })

    expect((await station.post('mqtt-gateway-status', { gateway_id: 'GW-E2E', status: 'offline' })).status).toBe(200)
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2)
    expect(verify(1)).toMatchObject({ type: 'alert.raised', data: { alert: { kind: 'gateway_offline', subject: 'GW-E2E' } } })
    await expect(row.getByTestId('notify-health')).toContainText('Delivered')

    await row.getByRole('button', { name: 'Remove night-supervisors' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Remove target' }).click()
    await expect(panel).toContainText('No targets yet')
  } finally {
    await receiver.close()
  }
})
