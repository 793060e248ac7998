// Station cold start: spawn `gatehouse station` on a fresh data directory and time until the first
// 2xx from mqtt-gateway-status (polled every few ms on a port chosen beforehand).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { signatureHeaderValue } from '../src/main/station/receiver/signature'
import { SECRET, round } from './load'

export interface ColdStartFigures {
  /** How the CLI was run: the built bundle (what browser mode ships) or tsx from source. */
  how: string
  runs_ms: number[]
  median_ms: number
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })

const statusOnce = (port: number): Promise<number> =>
  new Promise((resolve) => {
    const body = Buffer.from(JSON.stringify({ gateway_id: 'GW-COLD', status: 'online', timestamp: new Date().toISOString() }))
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/webhook/v1/mqtt-gateway-status',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          'x-gxp-signature': signatureHeaderValue('gxp', SECRET, body),
        },
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    req.on('error', () => resolve(0))
    req.end(body)
  })

async function once(command: string[], root: string): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cold-'))
  const port = await freePort()
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [...command, 'station', '--host', '127.0.0.1', '--port', String(port), '--https-port', '0', '--no-dashboard', '--data-dir', dataDir],
    {
      cwd: root,
      env: { ...process.env, GATEHOUSE_SECRET: SECRET },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  let exited = false
  child.once('exit', () => (exited = true))
  try {
    for (;;) {
      if (exited) throw new Error(`the station exited before answering: ${stderr.trim().slice(0, 300)}`)
      if (performance.now() - started > 20_000) throw new Error('no 2xx within 20 s')
      const status = await statusOnce(port)
      if (status >= 200 && status < 300) return performance.now() - started
      await new Promise((r) => setTimeout(r, 2))
    }
  } finally {
    const gone = new Promise((r) => (exited ? r(null) : child.once('exit', r)))
    child.kill('SIGTERM')
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))])
    if (!exited) child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function benchColdStart(root: string, runs = 3): Promise<ColdStartFigures[]> {
  const variants: Array<[string, string[]]> = []
  const built = join(root, 'out', 'main', 'cli.js')
  if (existsSync(built)) variants.push(['built CLI (node out/main/cli.js)', [built]])
  variants.push(['from source (tsx src/main/cli/main.ts)', ['--import', 'tsx', join(root, 'src', 'main', 'cli', 'main.ts')]])
  const out: ColdStartFigures[] = []
  for (const [how, command] of variants) {
    const times: number[] = []
    for (let i = 0; i < runs; i++) times.push(round(await once(command, root), 0))
    const sorted = [...times].sort((a, b) => a - b)
    out.push({ how, runs_ms: times, median_ms: sorted[Math.floor(sorted.length / 2)]! })
  }
  return out
}
