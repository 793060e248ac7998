// A screenshot attached to the report; `fullPage` grows the window to the whole view first.
import type { Page, TestInfo } from '@playwright/test'

export async function shoot(page: Page, testInfo: TestInfo, name: string, fullPage = false): Promise<string> {
  const path = testInfo.outputPath(`${name}.png`)
  if (fullPage) {
    // The view scrolls inside the window: grow the window to the view's height instead.
    const height = await page.locator('main').evaluate((main) => main.scrollHeight + main.getBoundingClientRect().top)
    await page.setViewportSize({ width: 1440, height: Math.ceil(height) })
  }
  await page.screenshot({ path })
  if (fullPage) await page.setViewportSize({ width: 1440, height: 900 })
  await testInfo.attach(name, { path, contentType: 'image/png' })
  return path
}
