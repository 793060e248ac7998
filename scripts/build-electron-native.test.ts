// `npm run rebuild:electron` in a checkout that lives under a directory named "build" (CI
// workspaces often do): the scratch copy leaves out only better-sqlite3's own build/, judged
// relative to the package — not every file whose absolute path contains "/build/". Run on a
// small copy of the project with a stand-in node-gyp, so nothing real is compiled or touched.
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { abiOf } from './electron-native.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const made: string[] = []
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
})

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
}

describe('the Electron-ABI build script', () => {
  it('copies the package whole but for its build/, even inside a directory named build', () => {
    const outer = mkdtempSync(join(tmpdir(), 'gatehouse-native-script-'))
    made.push(outer)
    const project = join(outer, 'build', 'gatehouse')
    for (const script of ['build-electron-native.mjs', 'electron-native.mjs']) {
      mkdirSync(join(project, 'scripts'), { recursive: true })
      copyFileSync(join(here, script), join(project, 'scripts', script))
    }
    write(join(project, 'node_modules', 'electron', 'package.json'), '{"name":"electron","version":"45.5.0"}')
    write(join(project, 'node_modules', 'electron', 'abi_version'), '150\n')
    const pkg = join(project, 'node_modules', 'better-sqlite3')
    write(join(pkg, 'package.json'), '{"name":"better-sqlite3"}')
    write(join(pkg, 'binding.gyp'), '{}')
    write(join(pkg, 'lib', 'index.js'), '')
    write(join(pkg, 'src', 'better_sqlite3.cpp'), '')
    write(join(pkg, 'deps', 'sqlite3', 'sqlite3.c'), '')
    write(join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'node_register_module_v115')
    const record = join(outer, 'gyp.json')
    const gyp = join(outer, 'node-gyp.cjs')
    writeFileSync(
      gyp,
      `const fs = require('fs')
const seen = (p) => fs.existsSync(p)
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ lib: seen('lib/index.js'), src: seen('src/better_sqlite3.cpp'), deps: seen('deps/sqlite3/sqlite3.c'), gyp: seen('binding.gyp'), build: seen('build') }))
fs.mkdirSync('build/Release', { recursive: true })
fs.writeFileSync('build/Release/better_sqlite3.node', 'node_register_module_v150')
`,
    )
    const out = join(outer, 'out', 'better_sqlite3.node')
    const run = spawnSync(process.execPath, [join(project, 'scripts', 'build-electron-native.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, GATEHOUSE_NODE_GYP: gyp, GATEHOUSE_ELECTRON_NATIVE: out },
    })
    expect(run.status, run.stderr).toBe(0)
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual({ lib: true, src: true, deps: true, gyp: true, build: false })
    expect(abiOf(out)).toBe('150')
    expect(run.stdout.trim()).toBe(`gatehouse: ${out} built for Electron 45.5.0 (ABI 150)`)
    // The package's own Node build is as it was.
    expect(readFileSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('node_register_module_v115')
  })
})
