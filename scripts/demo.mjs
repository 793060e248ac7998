#!/usr/bin/env node
// `npm run demo`: a living venue in one command. Builds, starts the station in a throwaway data
// directory (the desk where Electron can open a window, browser mode otherwise), then points the
// simulator at it. Ctrl-C stops both and removes the directory. Extra arguments go to the station
// in browser mode (e.g. `npm run demo -- --dashboard-port 9000`).
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { build, prepareDesk, root } from './desk-launch.mjs'

const cli = join(root, 'out', 'main', 'cli.js')
const stationArgs = process.argv.slice(2)
const say = (text) => console.log(`demo: ${text}`)

build('demo')

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

/** True once the receiver answers anything (a GET on a webhook path is a 405). */
const answers = (url) =>
  new Promise((resolve) => {
    const req = http.get(`${url}/webhook/v1/mqtt-gateway-status`, { timeout: 500 }, (res) => {
      res.resume()
      resolve(true)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
  })

function openInBrowser(url) {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}

/** Whether something already listens on a loopback port (another station's dashboard). */
const portTaken = (port) =>
  new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(true))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)))
  })

/** A flag's value among the extra arguments (`--port 9000`), if given. */
const flagValue = (name) => {
  const i = stationArgs.indexOf(name)
  return i >= 0 ? stationArgs[i + 1] : undefined
}
// The dashboard's usual port may belong to a station already running: then take any free one,
// unless a port was asked for (flag or GATEHOUSE_DASHBOARD_PORT): that one is used, or named busy.
if (!flagValue('--dashboard-port') && !process.env.GATEHOUSE_DASHBOARD_PORT?.trim() && (await portTaken(8788)))
  stationArgs.push('--dashboard-port', String(await freePort()))

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'))
const secret = randomBytes(32).toString('hex')
// The receiver's port as asked (--port, GATEHOUSE_PORT), else a free one: the simulator posts there.
const port = Number(flagValue('--port') ?? (process.env.GATEHOUSE_PORT?.trim() || 0)) || (await freePort())
// HTTPS stays off in the demo unless a port was asked for.
const httpsArgs = flagValue('--https-port') !== undefined || process.env.GATEHOUSE_HTTPS_PORT?.trim() ? [] : ['--https-port', '0']
const target = `http://127.0.0.1:${port}`
const env = {
  ...process.env,
  // One secret for every source, so the simulator can sign whatever the desk does with its secrets file.
  GATEHOUSE_SECRET: secret,
  // Long enough for a gateway reporting every 30 s; short enough to watch the silent one go offline.
  GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '45',
  GATEHOUSE_DATA_DIR: dataDir,
  GATEHOUSE_HOST: '127.0.0.1',
  GATEHOUSE_PORT: String(port),
}

const children = new Set()
const track = (child, name) => {
  children.add(child)
  child.on('exit', (code, signal) => {
    children.delete(child)
    if (!stopping) {
      console.error(`demo: the ${name} stopped (${signal ?? `exit ${code}`}); stopping the demo`)
      stop('SIGTERM')
    } else if (children.size === 0) finish()
  })
  return child
}

let stopping = false
let exitCode = 0
let deskChild = null
function stop(signal) {
  if (stopping) return
  stopping = true
  if (signal === 'SIGTERM') exitCode = 1
  // Ctrl-C reaches the whole process group; give the children a moment to stop on their own first.
  // Not the desk: Electron takes a second signal as "stop now", before the store is closed.
  const nudge = setTimeout(
    () => children.forEach((c) => (signal !== 'SIGINT' || c !== deskChild) && c.kill('SIGTERM')),
    signal === 'SIGINT' ? 1500 : 0,
  )
  const force = setTimeout(() => children.forEach((c) => c.kill('SIGKILL')), 10_000)
  nudge.unref()
  force.unref()
  if (children.size === 0) finish()
}
function finish() {
  rmSync(dataDir, { recursive: true, force: true })
  say(`stopped; removed ${dataDir}`)
  process.exit(exitCode)
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => {
  exitCode = 1
  stop('SIGTERM')
})

const app = prepareDesk({ env, say })
say(`data in ${dataDir} (removed when you press Ctrl-C)`)
if ('path' in app) {
  say('starting the desk')
  deskChild = track(spawn(app.path, [root], { env: app.env, stdio: ['ignore', 'inherit', 'inherit'] }), 'desk')
} else {
  say(`${app.why}; starting browser mode`)
  const station = track(
    spawn(
      process.execPath,
      [cli, 'station', '--host', '127.0.0.1', '--port', String(port), ...httpsArgs, '--data-dir', dataDir, ...stationArgs],
      {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
    'station',
  )
  createInterface({ input: station.stdout }).on('line', (line) => {
    console.log(line)
    const url = /^dashboard on (\S+)/.exec(line)?.[1]
    if (url) openInBrowser(url)
  })
}

const deadline = Date.now() + 20_000
while (!stopping && !(await answers(target))) {
  if (Date.now() > deadline) {
    console.error(`demo: the station did not answer on ${target} within 20 s`)
    stop('SIGTERM')
    break
  }
  await new Promise((r) => setTimeout(r, 100))
}
if (!stopping) {
  say(`simulating 4 gateways × 4 readers and 2,000 attendees against ${target}; Ctrl-C to stop`)
  track(
    spawn(
      process.execPath,
      [
        cli,
        'simulate',
        '--target',
        target,
        '--secret',
        secret,
        '--duration',
        '0',
        '--gateways',
        '4',
        '--readers-per-gateway',
        '4',
        '--rate',
        '8',
        '--attendees',
        '2000',
        // The demo's own station: the simulator puts each gateway's readers in a zone of it.
        '--zones',
        '--data-dir',
        dataDir,
      ],
      { env, stdio: ['ignore', 'inherit', 'inherit'] },
    ),
    'simulator',
  )
}
