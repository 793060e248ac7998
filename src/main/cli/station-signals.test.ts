// `gatehouse station` and Ctrl-C: a second SIGINT while the station closes (a terminal forwarding
// Ctrl-C twice, an impatient operator) does not kill it with its store unclean.
import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { tempDir } from '../test-support/station'
import { RUNNING_MARKER } from '../station/store/startup-check'

const ROOT = resolve(import.meta.dirname, '../../..')

describe('gatehouse station and signals', () => {
  it('two SIGINTs in a row: one clean stop, exit 0, no unclean marker', async () => {
    const dir = tempDir('gatehouse-signals-')
    try {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/main/cli/main.ts',
          'station',
          '--data-dir',
          dir,
          '--host',
          '127.0.0.1',
          '--port',
          '0',
          '--https-port',
          '0',
          '--no-dashboard',
        ],
        { cwd: ROOT, env: { ...process.env, GATEHOUSE_SECRET: 'x'.repeat(32) }, stdio: ['ignore', 'pipe', 'pipe'] },
      )
      let out = ''
      child.stdout.on('data', (c: Buffer) => (out += c.toString()))
      child.stderr.on('data', (c: Buffer) => (out += c.toString()))
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      const deadline = Date.now() + 60_000
      while (!/receiver listening on/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(out).toMatch(/receiver listening on/)
      expect(existsSync(join(dir, RUNNING_MARKER))).toBe(true)
      child.kill('SIGINT')
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(out).toContain('SIGINT: stopping the station')
      expect(existsSync(join(dir, RUNNING_MARKER))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
