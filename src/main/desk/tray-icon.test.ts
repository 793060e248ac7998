// The tray gets small icons (16 px, and 32 px for 2× screens, found by nativeImage from the
// @2x name), a template image on macOS; never the 512 px app icon.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { trayIcon } from './tray-icon'

const resources = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources')

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file)
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`).toBe(true)
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

const twoX = (file: string): string => join(dirname(file), basename(file, '.png') + '@2x.png')

describe('the tray icon', () => {
  for (const platform of ['win32', 'linux', 'darwin'] as const) {
    it(`on ${platform}: 16 px with a 32 px @2x beside it`, () => {
      const icon = trayIcon(platform, resources)
      expect(pngSize(icon.file)).toEqual({ width: 16, height: 16 })
      expect(pngSize(twoX(icon.file))).toEqual({ width: 32, height: 32 })
    })
  }

  it('is a template image on macOS only (named …Template, as macOS expects)', () => {
    expect(trayIcon('darwin', resources)).toMatchObject({ template: true })
    expect(basename(trayIcon('darwin', resources).file)).toBe('trayTemplate.png')
    expect(trayIcon('win32', resources).template).toBe(false)
    expect(trayIcon('linux', resources).template).toBe(false)
  })
})
