// The launcher behind `npm start`, driven as a real process with stand-ins the test creates: an
// "Electron" (GATEHOUSE_ELECTRON) that records how it was called, and a "node-gyp"
// (GATEHOUSE_NODE_GYP) that builds a module for the ABI it is told, for Node's ABI, or fails. The
// native build goes to a temp file (GATEHOUSE_ELECTRON_NATIVE); node_modules is never touched.
// Browser mode is the real built station (out/main/cli.js; `npm test` builds before vitest).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { abiOf, electronTarget } from './electron-native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const launcher = join(root, 'scripts', 'launch.mjs')
const cli = join(root, 'out', 'main', 'cli.js')
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const { version, abi } = electronTarget()
const RUNNING_MARKER = 'station-running'

interface Sandbox {
  dir: string
  electron: string
  gyp: string
  native: string
  electronRecord: string
  gypRecord: string
  dataDir: string
}

const sandboxes: string[] = []
let nodeBuildBefore: { mtimeMs: number; size: number }

beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first (npm test does)`)
  nodeBuildBefore = statSync(nodeBuild)
})
afterAll(() => {
  for (const d of sandboxes.splice(0)) rmSync(d, { recursive: true, force: true })
})

function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-launch-'))
  sandboxes.push(dir)
  const s: Sandbox = {
    dir,
    electron: join(dir, 'electron'),
    gyp: join(dir, 'node-gyp.cjs'),
    native: join(dir, 'native', 'better_sqlite3.node'),
    electronRecord: join(dir, 'electron-called.json'),
    gypRecord: join(dir, 'gyp-called.json'),
    dataDir: join(dir, 'data'),
  }
  // The stand-in Electron: records its arguments and the native build it was told to load, then
  // exits with STANDIN_EXIT — or, with STANDIN_WAIT, waits and records every signal it receives.
  writeFileSync(
    s.electron,
    `#!${process.execPath}
const fs = require('fs')
const record = process.env.STANDIN_ELECTRON_RECORD
if (process.env.STANDIN_WAIT === '1') {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {
    fs.appendFileSync(record + '.signals', signal + '\\n')
    setTimeout(() => process.exit(0), 300)
  })
  setInterval(() => undefined, 1000)
}
fs.writeFileSync(record, JSON.stringify({ argv: process.argv.slice(2), native: process.env.GATEHOUSE_ELECTRON_NATIVE || null }))
if (process.env.STANDIN_WAIT !== '1') process.exit(Number(process.env.STANDIN_EXIT || 0))
`,
  )
  chmodSync(s.electron, 0o755)
  // The stand-in node-gyp: records what it was run with and where, then "builds" better_sqlite3.node
  // for STANDIN_GYP_ABI, or fails like node-gyp without Electron's headers.
  writeFileSync(
    s.gyp,
    `const fs = require('fs')
fs.writeFileSync(process.env.STANDIN_GYP_RECORD, JSON.stringify({
  args: process.argv.slice(2),
  copiedNodeBuild: fs.existsSync('build'),
  copiedSources: fs.existsSync('lib/index.js') && fs.existsSync('binding.gyp'),
  nodedir: process.env.npm_config_nodedir || null,
}))
if (process.env.STANDIN_GYP_ABI === 'fail') {
  console.error('gyp ERR! stack Error: getaddrinfo ENOTFOUND electronjs.org')
  process.exit(1)
}
fs.mkdirSync('build/Release', { recursive: true })
fs.writeFileSync('build/Release/better_sqlite3.node', '\\0stand-in addon\\0node_register_module_v' + process.env.STANDIN_GYP_ABI + '\\0')
`,
  )
  return s
}

/** A file the ABI check reads as an addon built for `forAbi`. */
function placeNative(s: Sandbox, forAbi: string): void {
  mkdirSync(dirname(s.native), { recursive: true })
  writeFileSync(s.native, `\0placed\0node_register_module_v${forAbi}\0`)
}

interface Run {
  code: number | null
  stdout: string[]
  stderr: string
}

/**
 * Runs the launcher in its own process group (as a terminal runs `npm start`), with the
 * station's arguments for browser mode. `whenUp` runs once a line matches it (browser mode's
 * "receiver listening", or the stand-in having recorded its call) and may signal the launcher.
 */
function launch(
  s: Sandbox,
  env: Record<string, string | undefined>,
  whenUp?: { line?: RegExp; file?: string; then: (pid: number) => void },
): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_') && !k.startsWith('STANDIN_')))
  const child = spawn(
    process.execPath,
    [launcher, '--data-dir', s.dataDir, '--host', '127.0.0.1', '--port', '0', '--https-port', '0', '--no-dashboard'],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...base,
        GATEHOUSE_ELECTRON: s.electron,
        GATEHOUSE_NODE_GYP: s.gyp,
        GATEHOUSE_ELECTRON_NATIVE: s.native,
        STANDIN_ELECTRON_RECORD: s.electronRecord,
        STANDIN_GYP_RECORD: s.gypRecord,
        STANDIN_GYP_ABI: abi,
        DISPLAY: ':99',
        ...env,
      },
    },
  )
  const run: Run = { code: null, stdout: [], stderr: '' }
  let fired = false
  const fire = (): void => {
    if (fired || !whenUp) return
    fired = true
    whenUp.then(child.pid!)
  }
  createInterface({ input: child.stdout }).on('line', (line) => {
    run.stdout.push(line)
    if (whenUp?.line?.test(line)) fire()
  })
  child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()))
  const poll = whenUp?.file
    ? setInterval(() => {
        if (existsSync(whenUp.file!)) fire()
      }, 20)
    : undefined
  const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 45_000)
  return new Promise((resolve) => {
    // 'close': the launcher has exited and every output of it and its children has been read.
    child.on('close', (code) => {
      clearInterval(poll)
      clearTimeout(killer)
      run.code = code
      resolve(run)
    })
  })
}

const ctrlC = (pid: number): void => {
  process.kill(-pid, 'SIGINT')
}
const receiverUp = /^receiver listening on http:\/\/127\.0\.0\.1:\d+$/
// Printed a tick after the station has installed its signal handlers — "receiver listening" comes
// a moment before them, and on a loaded machine a Ctrl-C can land in between.
const stationUp = /^store check: quick_check ok/
const ownLines = (run: Run): string[] => run.stdout.filter((l) => l.startsWith('gatehouse: '))
const json = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>

describe.skipIf(process.platform === 'win32')('npm start (the launcher), with stand-ins for Electron and node-gyp', () => {
  it('no Electron binary: one line, then browser mode, stopped cleanly by one Ctrl-C', async () => {
    const s = sandbox()
    const run = await launch(s, { GATEHOUSE_ELECTRON: join(s.dir, 'no-such-electron') }, { line: stationUp, then: ctrlC })
    expect(run.code, run.stderr).toBe(0)
    expect(ownLines(run)).toEqual([
      `gatehouse: GATEHOUSE_ELECTRON=${join(s.dir, 'no-such-electron')} is not an executable file; starting browser mode instead.`,
    ])
    expect(run.stdout.some((l) => receiverUp.test(l))).toBe(true)
    expect(existsSync(s.gypRecord)).toBe(false) // no build attempted for a desk that cannot run
    expect(existsSync(join(s.dataDir, RUNNING_MARKER))).toBe(false) // the station closed its store
  })

  it('no display: browser mode, even with Electron present', async () => {
    const s = sandbox()
    const run = await launch(s, { DISPLAY: '', WAYLAND_DISPLAY: '' }, { line: stationUp, then: ctrlC })
    expect(run.code, run.stderr).toBe(0)
    expect(ownLines(run)).toEqual(['gatehouse: there is no display to open the desk on; starting browser mode instead.'])
    expect(existsSync(s.electronRecord)).toBe(false)
  })

  it("Electron and a native build for its ABI: the desk starts on the project root with that build, and its exit code is npm start's", async () => {
    const s = sandbox()
    placeNative(s, abi)
    const run = await launch(s, { STANDIN_EXIT: '7' })
    expect(run.code, run.stderr).toBe(7)
    const called = json(s.electronRecord)
    expect((called.argv as string[])[0]).toBe(root) // not out/main/index.js: the app path must be the root
    expect(called.native).toBe(s.native)
    expect(ownLines(run)).toEqual([])
    expect(existsSync(s.gypRecord)).toBe(false)
  })

  it('native build missing: it is built for Electron (never for Node, never in node_modules), checked, and the desk starts', async () => {
    const s = sandbox()
    // As under `npm start`: npm exports a nodedir that would make node-gyp build for Node's ABI.
    const run = await launch(s, { npm_config_nodedir: '/usr/include/node' })
    expect(run.code, run.stderr).toBe(0)
    expect(ownLines(run)).toEqual([
      `gatehouse: building better-sqlite3 for Electron ${version} (ABI ${abi}) into ${s.native}, once (about a minute)…`,
    ])
    const gyp = json(s.gypRecord)
    expect(gyp.args).toEqual([
      'rebuild',
      '--release',
      `--target=${version}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ])
    expect(gyp.nodedir).toBeNull()
    expect(gyp.copiedNodeBuild).toBe(false)
    expect(gyp.copiedSources).toBe(true)
    expect(abiOf(s.native)).toBe(abi)
    expect(json(s.electronRecord).native).toBe(s.native)
  })

  it('native build for another ABI (the Node one): rebuilt for Electron, then the desk starts', async () => {
    const s = sandbox()
    placeNative(s, process.versions.modules)
    const run = await launch(s, {})
    expect(run.code, run.stderr).toBe(0)
    expect(ownLines(run)).toEqual([
      `gatehouse: ${s.native} is built for ABI ${process.versions.modules} but Electron ${version} needs ${abi}: rebuilding it (about a minute)…`,
    ])
    expect(abiOf(s.native)).toBe(abi)
    expect(existsSync(s.electronRecord)).toBe(true)
  })

  it('the build fails (no toolchain, no headers offline): one line naming the command to run, then browser mode', async () => {
    const s = sandbox()
    const run = await launch(s, { STANDIN_GYP_ABI: 'fail' }, { line: stationUp, then: ctrlC })
    expect(run.code, run.stderr).toBe(0)
    const lines = ownLines(run)
    expect(lines).toHaveLength(2) // "building…", then the one line of the failure
    expect(lines[1]).toBe(
      `gatehouse: better-sqlite3 could not be built for Electron ${version} (ABI ${abi}): node-gyp failed: it needs a C++ toolchain (python3, make, g++) and, the first time, Electron's headers from the internet; run \`npm run rebuild:electron\` to see why and build it; starting browser mode instead.`,
    )
    expect(run.stdout.some((l) => receiverUp.test(l))).toBe(true)
    expect(existsSync(s.electronRecord)).toBe(false)
    expect(existsSync(s.native)).toBe(false)
    expect(existsSync(join(s.dataDir, RUNNING_MARKER))).toBe(false)
  })

  it('the build "succeeds" for the wrong ABI: nothing is installed, the old build is kept, browser mode', async () => {
    const s = sandbox()
    placeNative(s, '99')
    const before = readFileSync(s.native)
    const run = await launch(s, { STANDIN_GYP_ABI: process.versions.modules }, { line: stationUp, then: ctrlC })
    expect(run.code, run.stderr).toBe(0)
    expect(ownLines(run).at(-1)).toContain(
      `the build came out for ABI ${process.versions.modules}, but Electron ${version} needs ${abi}; nothing was installed; run \`npm run rebuild:electron\``,
    )
    expect(readFileSync(s.native).equals(before)).toBe(true)
    expect(existsSync(s.electronRecord)).toBe(false)
  })

  it('Ctrl-C in the terminal, and npm forwarding it again, reach the desk exactly once', async () => {
    const s = sandbox()
    placeNative(s, abi)
    const run = await launch(
      s,
      { STANDIN_WAIT: '1' },
      {
        file: s.electronRecord,
        then: (pid) => {
          process.kill(-pid, 'SIGINT') // the terminal: the launcher's whole foreground group
          process.kill(pid, 'SIGINT') // npm, forwarding what it received
        },
      },
    )
    expect(run.code, run.stderr).toBe(0)
    expect(readFileSync(`${s.electronRecord}.signals`, 'utf8')).toBe('SIGINT\n')
  })

  it('leaves the Node build of better-sqlite3 in node_modules as it was', () => {
    const now = statSync(nodeBuild)
    expect({ mtimeMs: now.mtimeMs, size: now.size }).toEqual({ mtimeMs: nodeBuildBefore.mtimeMs, size: nodeBuildBefore.size })
    expect(abiOf(nodeBuild)).toBe(process.versions.modules)
  })
})
