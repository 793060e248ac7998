// Which picture the tray shows. Tray icons are small — 16 px, with a 32 px @2x beside it that
// nativeImage picks up by name on high-density screens — not the 512 px app icon. macOS wants a
// template image (black and transparent, tinted by the system for light and dark menu bars).
// Plain Node: the shell loads the file with nativeImage. Rendered by resources/render-icon.mjs.
import { join } from 'node:path'

export function trayIcon(platform: NodeJS.Platform, resourcesDir: string): { file: string; template: boolean } {
  return platform === 'darwin'
    ? { file: join(resourcesDir, 'trayTemplate.png'), template: true }
    : { file: join(resourcesDir, 'tray.png'), template: false }
}
