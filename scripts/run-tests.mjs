#!/usr/bin/env node
// `npm test`: every stage runs, even after one fails (a flaky unit test must not hide the browser
// suite), then a summary; the exit code is non-zero when any stage failed.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => join(root, 'node_modules', '.bin', name)

const STAGES = [
  ['lint', bin('eslint'), ['.']],
  ['format', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json']],
  ['build', bin('electron-vite'), ['build']],
  ['vitest', bin('vitest'), ['run']],
  ['playwright', bin('playwright'), ['test']],
]

const results = []
for (const [name, command, args] of STAGES) {
  process.stdout.write(`\n=== npm test: ${name}\n`)
  const t0 = performance.now()
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  const ok = run.status === 0
  results.push({
    name,
    ok,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
    why: run.error?.message ?? (run.signal ? `killed by ${run.signal}` : `exit ${run.status}`),
  })
}

process.stdout.write('\n=== npm test: summary\n')
for (const r of results) process.stdout.write(`${r.ok ? '✔' : '✖'} ${r.name} (${r.seconds} s)${r.ok ? '' : ` — ${r.why}`}\n`)
const failed = results.filter((r) => !r.ok)
process.stdout.write(
  failed.length === 0 ? 'all stages passed\n' : `${failed.length} stage(s) failed: ${failed.map((r) => r.name).join(', ')}\n`,
)
process.exitCode = failed.length === 0 ? 0 : 1
