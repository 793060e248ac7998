// Venue rules at the desk: a zone's gauge moves with scans, a denied row offers "admit once" and
// the next scan is granted with reason override, and a lockdown shows its banner and denies.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { CLI, expect, scan, seedAttendees, test, type Station, E2E_OPERATOR } from './fixtures'

const run = promisify(execFile)
const gatehouse = (station: Station, ...args: string[]) => run(process.execPath, [CLI, ...args, '--data-dir', station.dataDir])

test('a zone gauge follows entries and exits; admit once lets a denied attendee in by override; lockdown shows and denies', async ({
  page,
  station,
}) => {
  await seedAttendees(station, [
    { id: 'A1', first: 'Jane', last: 'Smith', credential: 'BADGE-1' },
    { id: 'A2', first: 'Omar', last: 'Haddad', credential: 'BADGE-2' },
  ])
  for (const r of ['HALL-IN', 'HALL-OUT']) expect((await station.post('access-event', scan(r, 'NOBODY'))).status).toBe(200)
  await gatehouse(station, 'reader', 'HALL-IN', '--zone', 'Hall', '--direction', 'entry')
  await gatehouse(station, 'reader', 'HALL-OUT', '--zone', 'Hall', '--direction', 'exit')
  await gatehouse(station, 'zone', 'Hall', '--capacity', '2', '--anti-passback', 'on')
  await page.goto(station.dashboardUrl)
  const gauge = page.getByTestId('zone-Hall')
  await expect(gauge).toBeVisible()

  expect((await station.post('access-event', scan('HALL-IN', 'BADGE-1'))).json).toMatchObject({ access_granted: true })
  await expect(page.getByTestId('zone-count-Hall')).toHaveText('1 / 2')
  expect((await station.post('access-event', scan('HALL-IN', 'BADGE-2'))).json).toMatchObject({ access_granted: true })
  await expect(page.getByTestId('zone-count-Hall')).toHaveText('2 / 2')
  await expect(gauge).toContainText('Full')
  expect((await station.post('access-event', scan('HALL-OUT', 'BADGE-2'))).json).toMatchObject({ access_granted: true })
  await expect(page.getByTestId('zone-count-Hall')).toHaveText('1 / 2')

  // Jane scans in again without going out: anti-passback; the officer admits her once.
  expect((await station.post('access-event', scan('HALL-IN', 'BADGE-1'))).json).toMatchObject({ reason: 'anti_passback' })
  const denied = page.getByTestId('feed-row').filter({ hasText: 'Jane Smith' }).filter({ hasText: 'anti-passback' }).first()
  await denied.getByRole('button', { name: 'Admit once' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Admit once' }).click()
  await expect(page.getByText('is admitted once at HALL-IN')).toBeVisible()
  const admitted = await station.post('access-event', scan('HALL-IN', 'BADGE-1'))
  expect(admitted.json).toMatchObject({ access_granted: true, reason: 'override' })
  await expect(page.getByTestId('feed-row').first()).toContainText('Admitted by override')
  await expect(page.getByTestId('feed-row').first()).toContainText(`by ${E2E_OPERATOR}`)

  // Lockdown from the desk, behind a confirmation: the banner shows and the next scan is denied.
  await gauge.getByRole('button', { name: 'Lock down' }).click()
  const confirm = page.getByRole('dialog')
  await expect(confirm).toContainText('Every scan at the readers of Hall is denied')
  await confirm.getByRole('button', { name: 'Lock down' }).click()
  const banner = page.getByTestId('lockdown-banner')
  await expect(banner).toContainText('LOCKDOWN — Hall')
  await expect(banner).toContainText(`by ${E2E_OPERATOR}`)
  expect((await station.post('access-event', scan('HALL-OUT', 'BADGE-1'))).json).toMatchObject({
    access_granted: false,
    reason: 'lockdown',
  })
  await banner.getByRole('button', { name: 'Lift' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Lift lockdown' }).click()
  await expect(banner).toHaveCount(0)
  expect((await station.post('access-event', scan('HALL-OUT', 'BADGE-1'))).json).toMatchObject({ access_granted: true })
})
