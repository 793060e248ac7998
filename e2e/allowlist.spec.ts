// An allowlist entry added in the Webhooks view refuses the next request from 127.0.0.1 with a
// 403, and the Logs view shows it when filtered to 403.
import { expect, scan, test } from './fixtures'

test('an allowlist entry refuses 127.0.0.1; the 403 shows in the filtered log', async ({ page, station }) => {
  expect((await station.post('access-event', scan('R1', 'BADGE-1'))).status).toBe(200)

  await page.goto(`${station.dashboardUrl}#/webhooks`)
  await page.getByRole('link', { name: /access-event/ }).click()
  const detail = page.getByTestId('endpoint-access-event')
  await expect(detail).toBeVisible()

  // Inline validation, as the station parses: refused, then canonicalised.
  const entry = detail.getByLabel('IP address or CIDR')
  await entry.fill('10.0.0.0/33')
  await expect(detail.getByTestId('allowlist-entry-hint')).toContainText('not a valid prefix length')
  await expect(detail.getByRole('button', { name: 'Add entry' })).toBeDisabled()
  await entry.fill('10.1.2.3/8')
  await expect(detail.getByTestId('allowlist-entry-hint')).toContainText('Will be stored as 10.0.0.0/8')
  await detail.getByLabel('Label (optional)').fill('Gate LAN')
  await detail.getByRole('button', { name: 'Add entry' }).click()
  // This machine posted a scan a moment ago: the desk says it would be refused, and asks.
  await expect(page.getByTestId('lockout-preview')).toContainText('127.0.0.1')
  await page.getByRole('button', { name: 'Save anyway' }).click()
  const table = detail.getByTestId('allowlist')
  await expect(table).toContainText('10.0.0.0/8')
  await expect(table).toContainText('Gate LAN')

  await detail.getByLabel('Source address').fill('127.0.0.1')
  await detail.getByRole('button', { name: 'Check' }).click()
  await expect(detail.getByTestId('address-check-result')).toContainText('Refused')
  await detail.getByLabel('Source address').fill('10.20.30.40')
  await detail.getByRole('button', { name: 'Check' }).click()
  await expect(detail.getByTestId('address-check-result')).toContainText('Allowed by 10.0.0.0/8 (Gate LAN)')

  // The station picks the change up at once.
  const refused = await station.post('access-event', scan('R1', 'BADGE-2'))
  expect(refused.status).toBe(403)

  await detail.getByRole('link', { name: 'View logs' }).click()
  const logs = page.getByTestId('logs-view')
  await expect(logs.getByTestId('log-row')).toHaveCount(2)
  await logs.getByLabel('Status').fill('403')
  await logs.getByRole('button', { name: 'Apply' }).click()
  await expect(logs.getByTestId('log-row')).toHaveCount(1)
  const row = logs.getByTestId('log-row').first()
  await expect(row).toContainText('403')
  await expect(row).toContainText('Forbidden')
  await expect(row).toContainText('127.0.0.1')
  expect(page.url()).toContain('status=403')

  await row.click()
  const detail403 = page.getByTestId('log-detail')
  await expect(detail403).toContainText('not on the access-event allowlist')
  await expect(detail403).toContainText('x-gxp-signature')
  await expect(detail403.getByTestId('log-body')).toContainText('refused before its body was read')

  // The export holds exactly the filtered rows.
  const download = page.waitForEvent('download')
  await logs.getByRole('button', { name: 'Export JSON' }).click()
  const file = await (await download).path()
  const rows = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as Array<{ status: number }>
  expect(rows.map((r) => r.status)).toEqual([403])
})
