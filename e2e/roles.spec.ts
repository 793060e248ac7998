// Officers watch; admins change. An officer cannot reveal a secret or change an allowlist; an
// admin with the passphrase (set with `gatehouse admin set-passphrase`) can; `gatehouse audit
// --json` names both, the refused attempts included, and never holds the secret.
import { execFile } from 'node:child_process'
import { CLI, E2E_PASSPHRASE, expect, signIn, test } from './fixtures'

test.use({ deskRole: 'none' })

function gatehouse(args: string[], dataDir: string, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args, '--data-dir', dataDir],
      { encoding: 'utf8', timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    )
    child.stdin!.end(stdin)
  })
}

test('an officer cannot reveal a secret or change an allowlist; an admin can; both are in the audit log by name', async ({
  page,
  browser,
  station,
}) => {
  const set = await gatehouse(['admin', 'set-passphrase'], station.dataDir, `${E2E_PASSPHRASE}\n`)
  expect(set.code, set.stderr).toBe(0)
  const secret = await station.secret('access-event')

  // The officer.
  await page.goto(`${station.dashboardUrl}#/webhooks?endpoint=access-event`)
  await signIn(page, 'officer', 'Kim Officer')
  await expect(page.getByTestId('session-role')).toHaveText('Officer')
  const detail = page.getByTestId('endpoint-access-event')
  await detail.getByRole('button', { name: 'Reveal' }).click()
  await expect(detail).toContainText('needs an admin')
  await expect(detail.getByTestId('secret-value')).not.toContainText(secret)
  await detail.getByLabel('IP address or CIDR').fill('10.0.0.0/8')
  await detail.getByRole('button', { name: 'Add entry' }).click()
  await expect(detail).toContainText('needs an admin')
  // (The list is not shown while it is empty.)
  await expect(detail.getByTestId('allowlist')).toHaveCount(0)
  // A wrong passphrase unlocks nothing.
  await page.getByTestId('session-bar').getByRole('button', { name: 'Unlock admin' }).click()
  await page.getByLabel('Admin passphrase', { exact: true }).fill('not the passphrase')
  await page.getByRole('button', { name: 'Unlock', exact: true }).click()
  await expect(page.getByTestId('unlock-error')).toContainText('not the admin passphrase')
  await page.getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('session-role')).toHaveText('Officer')

  // The admin, at another desk.
  const other = await browser.newContext()
  const admin = await other.newPage()
  await admin.goto(`${station.dashboardUrl}#/webhooks?endpoint=access-event`)
  await signIn(admin, 'admin', 'Ada Admin')
  const adminDetail = admin.getByTestId('endpoint-access-event')
  await adminDetail.getByRole('button', { name: 'Reveal' }).click()
  await expect(adminDetail.getByTestId('secret-value')).toHaveText(secret)
  await adminDetail.getByLabel('IP address or CIDR').fill('10.0.0.0/8')
  await adminDetail.getByRole('button', { name: 'Add entry' }).click()
  await expect(adminDetail.getByTestId('allowlist')).toContainText('10.0.0.0/8')

  // The record, from the CLI.
  const audit = await gatehouse(['audit', '--json'], station.dataDir)
  expect(audit.code, audit.stderr).toBe(0)
  expect(audit.stdout).not.toContain(secret)
  expect(audit.stdout).not.toContain(E2E_PASSPHRASE)
  const entries = JSON.parse(audit.stdout) as Array<{
    operator: string
    role: string
    command: string
    outcome: string
    detail: string | null
  }>
  const find = (operator: string, command: string, outcome: string) =>
    entries.find((e) => e.operator === operator && e.command === command && e.outcome === outcome)
  expect(find('Kim Officer', 'secret:reveal', 'refused')).toMatchObject({ role: 'officer', detail: 'ADMIN_REQUIRED' })
  expect(find('Kim Officer', 'allowlist:add', 'refused')).toMatchObject({ role: 'officer', detail: 'ADMIN_REQUIRED' })
  expect(find('Kim Officer', 'session:unlock-admin', 'refused')).toBeTruthy()
  expect(find('Ada Admin', 'secret:reveal', 'done')).toMatchObject({ role: 'admin' })
  expect(find('Ada Admin', 'allowlist:add', 'done')).toMatchObject({ role: 'admin' })

  // And in the desk's Audit view.
  await admin.goto(`${station.dashboardOrigin}/#/audit`)
  await expect(admin.getByTestId('audit-table')).toContainText('Kim Officer')
  await expect(admin.getByTestId('audit-table')).toContainText('allowlist:add')
  await other.close()
})
