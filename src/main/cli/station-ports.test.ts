// `gatehouse station` as a real child process: a busy HTTPS or dashboard port is one line naming
// it and the flag and variable that change it, and with --dashboard-host 0.0.0.0 the address it
// prints for a second screen is a non-loopback address of this machine, which that screen can open.
import { afterEach, describe, expect, it } from 'vitest'
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { request } from 'node:http'
import { tempDir } from '../test-support/station'
import { defaultRendererDir } from '../station/desk/dashboard-server'

const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GATEHOUSE_')))
const CLI = ['--import', 'tsx', 'src/main/cli/main.ts', 'station']
// The dashboard is served from the build (npm test builds before vitest runs).
const built = existsSync(join(defaultRendererDir(), 'index.html'))

const dirs: string[] = []
const servers: Server[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((r) => c.once('exit', r))
      c.kill('SIGTERM')
      await gone
    }
  }
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** A port some other program holds. */
async function busyPort(): Promise<number> {
  const server = createServer()
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

function station(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stderr: string }> {
  const dir = tempDir()
  dirs.push(dir)
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [...CLI, '--data-dir', dir, ...args],
      { env: { ...childEnv, ...env }, encoding: 'utf8', timeout: 90_000 },
      // Killed by the hang guard (-1): it did not end by itself after saying what was wrong.
      (err, _o, stderr) => resolve({ code: err ? (err.killed ? -1 : Number(err.code ?? 1)) : 0, stderr }),
    ),
  )
}

describe('gatehouse station ports', () => {
  it('a busy HTTPS port, by flag or by variable, is one line naming it and what changes it', async () => {
    const busy = await busyPort()
    const line = `gatehouse station: HTTPS receiver port ${busy} is in use (another station?); choose another with --https-port or GATEHOUSE_HTTPS_PORT`
    const byFlag = await station(['--host', '127.0.0.1', '--port', '0', '--https-port', String(busy), '--no-dashboard'])
    expect(byFlag.code).toBe(1)
    expect(byFlag.stderr.trim()).toBe(line)
    const byEnv = await station(['--host', '127.0.0.1', '--port', '0', '--no-dashboard'], { GATEHOUSE_HTTPS_PORT: String(busy) })
    expect(byEnv.code).toBe(1)
    expect(byEnv.stderr.trim()).toBe(line)
  })

  it.skipIf(!built)('a busy dashboard port (GATEHOUSE_DASHBOARD_PORT) is one line naming it and what changes it', async () => {
    const busy = await busyPort()
    const res = await station(['--host', '127.0.0.1', '--port', '0', '--https-port', '0', '--dashboard-host', '127.0.0.1'], {
      GATEHOUSE_DASHBOARD_PORT: String(busy),
    })
    expect(res.code).toBe(1)
    expect(res.stderr.trim()).toBe(
      `gatehouse station: dashboard port ${busy} is in use (another station?); choose another with --dashboard-port or GATEHOUSE_DASHBOARD_PORT`,
    )
  })

  it.skipIf(!built)(
    'with --dashboard-host 0.0.0.0 the address printed for another screen is a LAN address of this machine, and opens',
    async () => {
      const lan = Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && a.family === 'IPv4' && !a.internal)
        .map((a) => a!.address)
      const dir = tempDir()
      dirs.push(dir)
      const child = spawn(
        process.execPath,
        [
          ...CLI,
          '--data-dir',
          dir,
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--https-port',
          '0',
          '--dashboard-host',
          '0.0.0.0',
          '--dashboard-port',
          '0',
        ],
        { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      children.push(child)
      let out = ''
      child.stdout.setEncoding('utf8')
      const printed = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk
          // The last line about the dashboard: the loopback address, then one per other address.
          if (/dashboard on .*\n.*\n/.test(out)) setTimeout(() => resolve(out), 200)
        })
        child.once('exit', (code) => reject(new Error(`station exited ${code}: ${out}`)))
      })
      const others = [...printed.matchAll(/from another screen: (http:\/\/[^ ]+)/g)].map((m) => new URL(m[1]!))
      if (lan.length === 0) {
        // Only loopback here: nothing a second screen could open is promised.
        expect(others).toEqual([])
        return
      }
      expect(others.length).toBeGreaterThan(0)
      for (const url of others) expect(url.hostname).not.toMatch(/^127\./)
      expect(others.map((u) => u.hostname)).toEqual(expect.arrayContaining(lan))
      // Opened from that address with its token: the token becomes a cookie (303 to the page).
      const first = others.find((u) => lan.includes(u.hostname))!
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(first, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        })
        req.once('error', reject)
        req.end()
      })
      expect(status).toBe(303)
    },
  )
})
