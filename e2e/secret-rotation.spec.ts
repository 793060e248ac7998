// Rotating a secret in the Webhooks view, revoking the old one at once: the old signature gets
// a 401, the new one passes.
import { expect, scan, test } from './fixtures'

test('a secret rotated with "revoke at once" refuses the old signature', async ({ page, station }) => {
  const oldSecret = await station.secret('access-event')
  expect((await station.post('access-event', scan('R1', 'BADGE-1'), { secret: oldSecret })).status).toBe(200)

  await page.goto(`${station.dashboardUrl}#/webhooks?endpoint=access-event`)
  const secretPanel = page.locator('#secret')
  await expect(secretPanel.getByTestId('secret-value')).toHaveText(`${oldSecret.slice(0, 4)}••••••••${oldSecret.slice(-4)}`)
  await secretPanel.getByRole('button', { name: 'Reveal' }).click()
  await expect(secretPanel.getByTestId('secret-value')).toHaveText(oldSecret)

  await secretPanel.getByRole('button', { name: 'Rotate…' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Rotate the access-event secret?')
  await dialog.getByLabel(/Revoke it at once/).check()
  await dialog.getByRole('button', { name: 'Rotate and revoke now' }).click()
  await expect(dialog).toBeHidden()
  await expect(secretPanel).toContainText('The old secret was revoked')

  const newSecret = await station.secret('access-event')
  expect(newSecret).not.toBe(oldSecret)
  await expect(secretPanel.getByTestId('secret-value')).toHaveText(newSecret)

  const withOld = await station.post('access-event', scan('R1', 'BADGE-2'), { secret: oldSecret })
  expect(withOld.status).toBe(401)
  expect(withOld.json).toMatchObject({ error: 'Invalid signature' })
  expect((await station.post('access-event', scan('R1', 'BADGE-3'), { secret: newSecret })).status).toBe(200)

  // The desk's own test webhook is signed with the new secret too.
  await page.getByRole('button', { name: 'Send test webhook' }).click()
  await expect(page.getByTestId('test-result')).toContainText('200')
})
