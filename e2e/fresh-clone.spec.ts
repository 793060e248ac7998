// `gatehouse station` where the dashboard was never built (a fresh clone, `npm run station`): the
// receiver still starts and answers, and one line says how to get the dashboard. The built CLI
// is copied beside a package.json without out/renderer, so nothing of this checkout is touched.
import { spawn } from 'node:child_process'
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

test('a station without a built dashboard runs the receiver and says how to build the dashboard', async () => {
  const clone = await mkdtemp(join(tmpdir(), 'gatehouse-clone-'))
  const data = await mkdtemp(join(tmpdir(), 'gatehouse-clone-data-'))
  try {
    await writeFile(join(clone, 'package.json'), '{"type":"module"}')
    await symlink(join(ROOT, 'node_modules'), join(clone, 'node_modules'))
    await cp(join(ROOT, 'out', 'main'), join(clone, 'out', 'main'), { recursive: true })
    const child = spawn(
      process.execPath,
      [join(clone, 'out', 'main', 'cli.js'), 'station', '--data-dir', data, '--port', '0', '--https-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const receiver = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)))
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^receiver listening on (http:\/\/\S+)$/.exec(line)
        if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'))
      })
    })
    // The receiver answers (an unsigned request is refused, not dropped).
    expect((await fetch(`${receiver}/webhook/v1/mqtt-gateway-status`, { method: 'POST' })).status).toBe(401)
    await expect.poll(() => stderr).toContain('the dashboard is not built yet')
    expect(stderr).toContain('npm run build')
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    await exited
  } finally {
    await rm(clone, { recursive: true, force: true })
    await rm(data, { recursive: true, force: true })
  }
})
