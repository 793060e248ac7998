// The log holds still while it is being read: under the pointer, or with an entry open, new
// entries do not move the rows; the desk says how many arrived. A refused request's curl is the
// request as received, never re-signed.
import { expect, sign, test } from './fixtures'

const status = (i: number) => ({ gateway_id: `GW-${i}`, status: 'online' })

test('following pauses under the pointer and with an entry open; a refused request is offered as received', async ({ page, station }) => {
  for (let i = 0; i < 3; i++) expect((await station.post('mqtt-gateway-status', status(i))).status).toBe(200)
  expect((await station.post('mqtt-gateway-status', status(9), { secret: 'forged-secret' })).status).toBe(401)
  await page.goto(`${station.dashboardUrl}#/logs`)
  const rows = page.getByTestId('log-row')
  await expect(rows).toHaveCount(4)
  const firstBefore = await rows.first().textContent()

  // The pointer over the table: new entries are counted, not inserted.
  await rows.nth(2).hover()
  await expect(page.getByTestId('follow-state')).toContainText('pointer is over the table')
  for (let i = 10; i < 13; i++) expect((await station.post('mqtt-gateway-status', status(i))).status).toBe(200)
  await expect(page.getByTestId('new-entries')).toHaveText('3 new entries')
  await expect(rows).toHaveCount(4)
  expect(await rows.first().textContent()).toBe(firstBefore)

  // Open the refused one: still held; its curl is as received, with the forged signature.
  await rows.filter({ hasText: '401' }).click()
  await page.mouse.move(5, 5)
  await expect(page.getByTestId('follow-state')).toContainText('an entry is open')
  await expect(rows).toHaveCount(4)
  await expect(page.getByRole('button', { name: 'Copy as curl (re-signed)' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Copy as curl (as received)' }).click()
  const body = JSON.stringify(status(9))
  await expect(page.getByTestId('curl-command')).toContainText(sign('forged-secret', body))
  await expect(page.getByTestId('curl-command')).not.toContainText(sign(await station.secret('mqtt-gateway-status'), body))

  // Asked for, the new entries come in.
  await page.getByRole('button', { name: 'Show them' }).click()
  await page.mouse.move(5, 5)
  await expect(rows).toHaveCount(7)
  await expect(page.getByTestId('follow-state')).toHaveText('Following new entries')
})
