// A signed access event posted over HTTP reaches the Live feed, by name (how fast is npm run bench's live-events row).
import { expect, scan, seedAttendees, test } from './fixtures'

test('a signed scan appears in the Live feed with the attendee name', async ({ page, station }) => {
  await seedAttendees(station, [{ id: 'A1', first: 'Jane', last: 'Smith', credential: 'BADGE-1' }])
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('live-view')).toBeVisible()
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await expect(page.getByTestId('entries-today')).toContainText('0')

  const granted = await station.post('access-event', scan('R1', 'BADGE-1'))
  expect(granted.status).toBe(200)
  expect(granted.json).toMatchObject({ access_granted: true, attendee: { first_name: 'Jane', last_name: 'Smith' } })
  const row = page.getByTestId('feed-row').filter({ hasText: 'Jane Smith' })
  await expect(row).toBeVisible()
  await expect(row).toContainText('Granted')
  await expect(row).toContainText('R1')
  await expect(page.getByTestId('entries-today')).toContainText('1')

  // A refusal reads as one too: icon and word, with the reason in words.
  expect((await station.post('access-event', scan('R2', 'NOBODY-9'))).status).toBe(200)
  const denied = page.getByTestId('feed-row').filter({ hasText: 'NOBODY-9' })
  await expect(denied).toBeVisible()
  await expect(denied).toContainText('Denied')
  await expect(denied).toContainText('Unknown credential')
  await expect(page.getByTestId('denials-today')).toContainText('1')
  await expect(page.getByTestId('denial-rate')).toContainText('50%')
  await expect(page.getByTestId('feed-row')).toHaveCount(2)
})

test('a retried scan is counted once', async ({ page, station }) => {
  await seedAttendees(station, [{ id: 'A1', first: 'Jane', last: 'Smith', credential: 'BADGE-1' }])
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('live-view')).toBeVisible()
  const event = scan('R1', 'BADGE-1')
  for (let i = 0; i < 3; i++) expect((await station.post('access-event', event)).status).toBe(200)
  await expect(page.getByTestId('feed-row')).toHaveCount(1)
  await expect(page.getByTestId('entries-today')).toContainText('1')
  // And a reload (a fresh snapshot) agrees with the live count.
  await page.reload()
  await expect(page.getByTestId('entries-today')).toContainText('1')
  await expect(page.getByTestId('feed-row')).toHaveCount(1)
})

test('the desk says when it loses the station, reconnects, and catches up on what it missed', async ({ page, station }) => {
  await seedAttendees(station, [{ id: 'A1', first: 'Jane', last: 'Smith', credential: 'BADGE-1' }])
  await page.goto(station.dashboardUrl)
  await expect(page.getByTestId('connection')).toHaveText('Connected')
  await expect(page.getByTestId('connection-banner')).toHaveCount(0)

  await station.stop()
  await expect(page.getByTestId('connection')).toHaveText('Reconnecting…')
  await expect(page.getByTestId('connection-banner')).toContainText('Lost the connection to the station')

  await station.start()
  // A scan decided while the page is still away (its retry backs off for a few seconds)…
  expect((await station.post('access-event', scan('R1', 'BADGE-1'))).status).toBe(200)
  await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 10_000 })
  await expect(page.getByTestId('connection-banner')).toHaveCount(0)
  // …is in the counters and the feed after the resync.
  await expect(page.getByTestId('entries-today')).toContainText('1')
  await expect(page.getByTestId('feed-row').filter({ hasText: 'Jane Smith' })).toBeVisible()
})
