// The station's run-time settings in the desk: an environment variable shown as overriding the
// store ("set by GATEHOUSE_…"), a bad value refused with the parser's message, an admin's change
// applied and seen alike by `gatehouse settings` and the audit log, and an officer refused.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { CLI, E2E_OPERATOR, expect, test } from './fixtures'
import { shoot } from './shoot'
import type { Page } from '@playwright/test'

const run = promisify(execFile)

async function openSettings(page: Page, dashboardUrl: string) {
  await page.goto(`${dashboardUrl}#/webhooks`)
  await page.getByRole('link', { name: /HTTPS and security/ }).click()
  const panel = page.locator('#runtime-settings')
  await expect(panel.getByTestId('runtime-settings')).toBeVisible()
  return panel
}

test.describe('as an admin', () => {
  test.use({ stationEnv: { GATEHOUSE_RETENTION_DAYS: '7' } })

  test('shows which variable overrides a setting; a bad value is refused; a change is what the CLI and the audit log see', async ({
    page,
    station,
  }, testInfo) => {
    const panel = await openSettings(page, station.dashboardUrl)
    const retention = panel.locator('tr[data-setting="retention_days"]')
    await expect(retention.getByTestId('setting-source')).toContainText('set by GATEHOUSE_RETENTION_DAYS')
    await expect(retention.getByTestId('setting-value')).toHaveText('7 days')

    const timeout = panel.locator('tr[data-setting="gateway_timeout_seconds"]')
    await expect(timeout.getByTestId('setting-value')).toHaveText('90 s')
    await timeout.getByRole('textbox').fill('0')
    await timeout.getByRole('button', { name: 'Save' }).click()
    await expect(panel.locator('.notice').first()).toContainText('gateway_timeout_seconds must be a whole number ≥ 1 (got "0")')
    await timeout.getByRole('textbox').fill('45')
    await timeout.getByRole('button', { name: 'Save' }).click()
    await expect(timeout.getByTestId('setting-value')).toHaveText('45 s')
    await expect(timeout.getByTestId('setting-source')).toContainText('stored')
    await panel.scrollIntoViewIfNeeded()
    await shoot(page, testInfo, 'runtime-settings')

    const { stdout } = await run(process.execPath, [CLI, 'settings', 'show', '--json', '--data-dir', station.dataDir])
    const shown = (JSON.parse(stdout) as { settings: Array<{ name: string; value: number; source: string }> }).settings
    expect(shown.find((s) => s.name === 'gateway_timeout_seconds')).toMatchObject({ value: 45, source: 'store' })
    expect(shown.find((s) => s.name === 'retention_days')).toMatchObject({ value: 7, source: 'env' })

    const audit = await run(process.execPath, [CLI, 'audit', '--json', '--data-dir', station.dataDir])
    const records = (JSON.parse(audit.stdout) as Array<{ command: string; operator: string; before: unknown; after: unknown }>).filter(
      (e) => e.command === 'settings:set',
    )
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ operator: E2E_OPERATOR, before: { value: 90, source: 'default' }, after: { value: 45, stored: 45 } })
  })
})

test.describe('as an officer', () => {
  test.use({ deskRole: 'officer' })

  test('a change is refused: it needs an admin', async ({ page, station }) => {
    const panel = await openSettings(page, station.dashboardUrl)
    const timeout = panel.locator('tr[data-setting="gateway_timeout_seconds"]')
    await timeout.getByRole('textbox').fill('30')
    await timeout.getByRole('button', { name: 'Save' }).click()
    await expect(panel.locator('.notice').first()).toContainText('This needs an admin')
    await expect(timeout.getByTestId('setting-value')).toHaveText('90 s')
  })
})
