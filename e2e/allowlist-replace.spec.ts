// The allowlist replaced in one step from the desk, and the two ways of opening an endpoint to any
// source (removing the last entry, emptying the list) each stopped by a dialog that says so.
import { expect, scan, test } from './fixtures'

test('replace the list in one step; emptying it asks first, naming what it means', async ({ page, station }) => {
  await page.goto(`${station.dashboardUrl}#/webhooks`)
  await page.getByRole('link', { name: /access-event/ }).click()
  const detail = page.getByTestId('endpoint-access-event')
  await detail.getByLabel('IP address or CIDR').fill('10.9.9.9')
  await detail.getByRole('button', { name: 'Add entry' }).click()
  await expect(detail.getByTestId('allowlist')).toContainText('10.9.9.9')
  expect((await station.post('access-event', scan('R1', 'BADGE-1'))).status).toBe(403)

  // Replace 10.9.9.9 by this host, in one step.
  await detail.getByRole('button', { name: 'Replace list…' }).click()
  const editor = page.getByRole('dialog')
  await expect(editor.getByRole('textbox')).toHaveValue('10.9.9.9')
  await editor.getByRole('textbox').fill('127.0.0.1 Desk PC')
  await editor.getByRole('button', { name: 'Replace list' }).click()
  const table = detail.getByTestId('allowlist')
  await expect(table).toContainText('127.0.0.1')
  await expect(table).toContainText('Desk PC')
  await expect(table).not.toContainText('10.9.9.9')
  expect((await station.post('access-event', scan('R1', 'BADGE-2'))).status).toBe(200)

  // Removing the last entry: the dialog says the endpoint then accepts any source. Cancelled: nothing changes.
  await detail.getByRole('button', { name: 'Remove 127.0.0.1' }).click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('accept any source on /webhook/v1/access-event')
  await expect(dialog.getByTestId('allowlist-open-warning')).toContainText('accepts requests from any source address')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(table).toContainText('127.0.0.1')

  // Emptying the list through "Replace list…": a second dialog, the same words.
  await detail.getByRole('button', { name: 'Replace list…' }).click()
  await page.getByRole('dialog').getByRole('textbox').fill('')
  await page.getByRole('dialog').getByRole('button', { name: 'Replace list' }).click()
  const confirm = page.getByRole('dialog', { name: 'Accept any source on /webhook/v1/access-event?' })
  await expect(confirm.getByTestId('allowlist-open-warning')).toContainText('accepts requests from any source address')
  await confirm.getByRole('button', { name: 'Empty the list: accept any source' }).click()
  await expect(detail.getByText('No entries: any source address is accepted')).toBeVisible()
})
