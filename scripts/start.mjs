#!/usr/bin/env node
// `npm start`: build, then run the desk in Electron — or, where there is no Electron binary or no
// display (a headless server), say so in one line and run browser mode instead.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (build.status !== 0) {
  console.error('gatehouse: the build failed (see above)')
  process.exit(build.status ?? 1)
}

/** Electron's path, downloading it on first use where the internet allows; quiet when it cannot. */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  })
  const path = probe.stdout?.trim()
  if (probe.status === 0 && path && existsSync(path)) return { path }
  const reason = (probe.stderr || '').split('\n').find((l) => /Error:/.test(l))?.replace(/^.*Error:\s*/, '') ?? 'not found'
  return { why: `the Electron binary is not available here (${reason.slice(0, 120)})` }
}

const electron = electronBinary()
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
const child =
  electron.path && !headless
    ? spawn(electron.path, [root, ...args], { stdio: 'inherit' })
    : (console.log(`gatehouse: ${electron.why ?? 'no display to open a window on'}; starting browser mode instead.`),
      spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'station', ...args], { stdio: 'inherit' }))

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
