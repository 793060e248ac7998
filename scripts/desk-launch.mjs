// Shared by `npm start`, `npm run dev` and `npm run demo`: build the app, find an Electron that can
// open a window here, and make sure the Electron-ABI build of better-sqlite3 is there (building it
// when it is missing or for another ABI). Where the desk cannot run, callers run browser mode.
import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { REBUILD_COMMAND, electronTarget, nativeFile, nativeStatus, root } from './electron-native.mjs'

export { root }

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

const PATH_MARK = 'gatehouse-electron-path='

const isExecutableFile = (file) => {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * What `require('electron')` gives, asked in a child process. On first use it prints
 * "Downloading Electron binary..." to stdout (and may fail) before answering, so only the line
 * carrying the path is read. `{ path }` or `{ why }` in one line.
 */
export function probeElectron(cwd = root, timeoutMs = 300_000) {
  const probe = spawnSync(process.execPath, ['-e', `process.stdout.write('\\n${PATH_MARK}' + require('electron') + '\\n')`], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
  })
  const path = (probe.stdout ?? '')
    .split(/\r?\n/)
    .find((line) => line.startsWith(PATH_MARK))
    ?.slice(PATH_MARK.length)
  if (probe.status === 0 && path && isExecutableFile(path)) return { path }
  // The first error printed is the cause (e.g. the download's "fetch failed"); later ones wrap it.
  const firstError = (probe.stderr ?? '')
    .split('\n')
    .find((line) => /Error:/.test(line))
    ?.replace(/^.*Error:\s*/, '')
  const reason = path
    ? `${path} is not an executable file`
    : `require('electron') ${/Downloading/i.test(probe.stdout ?? '') ? 'could not download it' : 'failed'}: ${firstError ?? probe.error?.message ?? `exit ${probe.status}`}`
  return { why: `the Electron binary is not available here (${reason.slice(0, 160)})` }
}

/** GATEHOUSE_ELECTRON (an Electron executable of your own) or the electron package's binary. */
export function findElectron(env = process.env, cwd = root) {
  const own = env.GATEHOUSE_ELECTRON?.trim()
  if (own) return isExecutableFile(own) ? { path: own } : { why: `GATEHOUSE_ELECTRON=${own} is not an executable file` }
  return probeElectron(cwd)
}

/** A Linux box without X11 or Wayland (a headless server) has nowhere to open a window. */
export const displayMissing = (env = process.env, platform = process.platform) =>
  platform === 'linux' && !env.DISPLAY?.trim() && !env.WAYLAND_DISPLAY?.trim()

const lastLine = (text) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1)
    ?.replace(/^gatehouse:\s*/, '')

/**
 * The desk's better-sqlite3, built for this Electron's ABI: checked, built when missing or for
 * another ABI (scripts/build-electron-native.mjs, output captured), and checked again — the file
 * is trusted, not the exit code. `{ file }` or `{ why }` in one line naming the command to run.
 */
export function ensureNative({ env = process.env, say = (line) => console.log(`gatehouse: ${line}`) } = {}) {
  const { version, abi } = electronTarget()
  const file = nativeFile(env)
  const shown = file.startsWith(root + sep) ? relative(root, file) : file
  const before = nativeStatus(file, abi)
  if (before.state === 'ready') return { file }
  say(
    before.state === 'missing'
      ? `building better-sqlite3 for Electron ${version} (ABI ${abi}) into ${shown}, once (about a minute)…`
      : `${shown} is built for ABI ${before.found} but Electron ${version} needs ${abi}: rebuilding it (about a minute)…`,
  )
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'build-electron-native.mjs')], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  })
  if (run.status === 0 && nativeStatus(file, abi).state === 'ready') return { file }
  const reason = lastLine(run.stderr) ?? run.error?.message ?? `the build exited with ${run.status}`
  return {
    why: `better-sqlite3 could not be built for Electron ${version} (ABI ${abi}): ${reason}; run \`${REBUILD_COMMAND}\` to see why and build it`,
  }
}

/**
 * Everything the desk needs here: `{ path, env }` (Electron, and an environment naming the native
 * build it must load), or `{ why }` in one line when the desk cannot start on this machine.
 */
export function prepareDesk({ env = process.env, say } = {}) {
  const electron = findElectron(env)
  if ('why' in electron) return electron
  if (displayMissing(env)) return { why: 'there is no display to open the desk on' }
  const native = ensureNative({ env, say })
  if ('why' in native) return native
  return { path: electron.path, env: { ...env, GATEHOUSE_ELECTRON_NATIVE: native.file } }
}

/**
 * Runs the desk or the station and exits with its code. On POSIX the child gets a process group of
 * its own, so a Ctrl-C in the terminal reaches it once, from here: the terminal signals the whole
 * foreground group and npm forwards the signal again, and a second SIGINT is "stop now" for
 * Electron and the station alike (the store would be left unclean). Later signals are ignored; the
 * child's own watchdog bounds its shutdown. On Windows the console delivers Ctrl-C to the child
 * itself and `kill()` would terminate it outright, so nothing is forwarded there.
 */
export function runChild(command, args, env = process.env) {
  const ownGroup = process.platform !== 'win32'
  const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: ownGroup })
  let forwarded = false
  for (const signal of ownGroup ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : ['SIGINT', 'SIGBREAK']) {
    process.on(signal, () => {
      if (!ownGroup || forwarded) return
      forwarded = true
      child.kill(signal)
    })
  }
  child.on('error', (err) => {
    console.error(`gatehouse: could not start ${command}: ${err.message}`)
    process.exit(1)
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
  return child
}
