// Renders the SVG icons to the PNGs the app uses, with the system Chromium:
// `node resources/render-icon.mjs`. The PNGs are committed; run this after editing an SVG.
//   icon.svg         → icon.png (512×512: window, installers)
//   tray.svg         → tray.png (16×16) and tray@2x.png (32×32: Windows and Linux tray)
//   trayTemplate.svg → trayTemplate.png and trayTemplate@2x.png (macOS menu bar, a template image)
import { chromium } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const renders = [
  ['icon.svg', 'icon.png', 512, 1],
  ['tray.svg', 'tray.png', 16, 1],
  ['tray.svg', 'tray@2x.png', 16, 2],
  ['trayTemplate.svg', 'trayTemplate.png', 16, 1],
  ['trayTemplate.svg', 'trayTemplate@2x.png', 16, 2],
]
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
for (const [svgFile, png, size, scale] of renders) {
  const svg = (await readFile(join(here, svgFile), 'utf8')).replace(/width="\d+" height="\d+"/, `width="${size}" height="${size}"`)
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: scale })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
  await page.locator('svg').screenshot({ path: join(here, png), omitBackground: true })
  await page.close()
}
await browser.close()
