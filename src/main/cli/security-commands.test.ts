// `gatehouse tls|http|station` as an admin runs them: in-process for the commands, spawned for the station.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { request } from 'node:https'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { commands, type CommandContext } from './commands'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-tls-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function run(
  name: string,
  args: string[],
  values: CommandContext['values'] = {},
  json = false,
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await commands[name]!({ args, values, dataDir: dir, json, out: (t) => out.push(t), err: (t) => err.push(t) })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const freePort = (): Promise<number> =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => res(port))
    })
  })

describe('gatehouse tls', () => {
  it('show prints the SHA-256 fingerprint (as openssl does), the names and the validity', async () => {
    const human = await run('tls', ['show'])
    expect(human.code).toBe(0)
    const fp = /^SHA-256 fingerprint: ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m.exec(human.out)?.[1]
    const openssl = execFileSync('openssl', ['x509', '-in', join(dir, 'tls', 'cert.pem'), '-noout', '-fingerprint', '-sha256'], {
      encoding: 'utf8',
    })
    expect(openssl.trim()).toBe(`sha256 Fingerprint=${fp}`)
    expect(human.out).toMatch(/^key: +ECDSA P-256, signed ECDSA with SHA-256$/m)
    expect(human.out).toMatch(/^names: +DNS:localhost, .*IP:127\.0\.0\.1/m)
    expect(human.out).toMatch(/^valid: +\d{4}-.+ → \d{4}-/m)
    const json = JSON.parse((await run('tls', ['show'], {}, true)).out) as { fingerprint_sha256: string; sans: string[] }
    expect(json.fingerprint_sha256).toBe(fp)
  })

  it('import refuses a mismatched pair with a clear message and exit code 1', async () => {
    const mk = (n: string) => {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-sha256',
          '-nodes',
          '-keyout',
          join(dir, `${n}.key`),
          '-out',
          join(dir, `${n}.crt`),
          '-days',
          '5',
          '-subj',
          '/CN=x',
        ],
        { stdio: 'ignore' },
      )
    }
    mk('a')
    mk('b')
    const r = await run('tls', ['import'], { cert: join(dir, 'a.crt'), key: join(dir, 'b.key') })
    expect(r).toMatchObject({
      code: 1,
      err: 'gatehouse tls import: refused: the key does not belong to the certificate (their public keys differ)',
    })
    expect((await run('tls', ['import'], { cert: join(dir, 'a.crt'), key: join(dir, 'a.key') })).code).toBe(0)
  })
})

describe('gatehouse http', () => {
  it('stores the plain-HTTP switch', async () => {
    expect(JSON.parse((await run('http', [], {}, true)).out)).toEqual({ http_enabled: true })
    expect((await run('http', ['off'])).out).toMatch(/^plain HTTP: off/)
    expect(JSON.parse((await run('http', ['show'], {}, true)).out)).toEqual({ http_enabled: false })
  })
})

describe('gatehouse station', () => {
  it('prints the HTTPS URLs and the fingerprint at start, and serves HTTPS only with --no-http', async () => {
    const httpsPort = await freePort()
    const cli = resolve(__dirname, 'main.ts')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'station',
        '--data-dir',
        dir,
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--https-port',
        String(httpsPort),
        '--no-http',
        '--no-dashboard',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      let out = ''
      await new Promise<void>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no start within 10 s:\n${out}`)), 10_000)
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          if (/receiver listening on https:/.test(out) && /plain HTTP is off/.test(out)) {
            clearTimeout(timer)
            res()
          }
        })
        child.on('exit', () => rej(new Error(`station exited:\n${out}`)))
      })
      const fp = /fingerprint \(gateways pin this\): (\S+)/.exec(out)![1]!
      expect(out).toContain(`https://127.0.0.1:${httpsPort}/webhook/v1/access-event`)
      expect(out).not.toMatch(/http:\/\//)
      // A gateway pinning the printed fingerprint gets through (the station answers 401: no signature).
      const status = await new Promise<number>((res, rej) => {
        const req = request(
          `https://127.0.0.1:${httpsPort}/webhook/v1/access-event`,
          { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json' } },
          (r) => {
            r.resume()
            res(r.statusCode!)
          },
        )
        req.on('secureConnect', () => {
          const seen = (req.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256
          if (seen !== fp) req.destroy(new Error(`pinned ${fp}, got ${seen}`))
        })
        req.on('error', rej)
        req.end('{}')
      })
      expect(status).toBe(401)
    } finally {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
  })
})
