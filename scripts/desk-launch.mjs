// Shared by `npm start` and `npm run demo`: build the app, and find an Electron that can open a
// window here (where there is none, the callers run browser mode instead).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Runs `electron-vite build`; exits the process with a message when it fails. */
export function build(prefix) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0) {
    console.error(`${prefix}: the build failed (see above)`)
    process.exit(result.status ?? 1)
  }
}

/**
 * `{ path }` of Electron's binary (downloaded on first use where the internet allows), or `{ why }`
 * in one line when it is not available or there is no display to open a window on.
 */
export function findDesk() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  })
  const path = probe.stdout?.trim()
  if (probe.status === 0 && path && existsSync(path)) {
    const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
    return headless ? { why: 'there is no display to open the desk on' } : { path }
  }
  const reason =
    (probe.stderr || '')
      .split('\n')
      .find((l) => /Error:/.test(l))
      ?.replace(/^.*Error:\s*/, '') ?? 'not found'
  return { why: `the Electron binary is not available here (${reason.slice(0, 120)})` }
}
