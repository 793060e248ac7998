#!/usr/bin/env node
// `npm run rebuild:electron` (and `npm start` when the desk's copy is missing or for another ABI):
// builds better-sqlite3 for Electron's ABI in a scratch copy and puts the result in
// native/electron/. It needs a C++ toolchain and, the first time, Electron's headers from the
// internet (node-gyp caches them). node_modules/better-sqlite3 (the Node build that tests and
// browser mode use) is never touched. The last line says what happened; exit code 1 on failure.
//
// GATEHOUSE_ELECTRON_NATIVE names another output file; GATEHOUSE_NODE_GYP another node-gyp
// (the launcher's tests use a stand-in).
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { abiOf, electronTarget, nativeFile, root } from './electron-native.mjs'

const { version, abi } = electronTarget()
const out = nativeFile()
const source = join(root, 'node_modules', 'better-sqlite3')
const gyp = process.env.GATEHOUSE_NODE_GYP?.trim() || join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')
const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-native-'))
try {
  // Everything but the package's own build/ (the Node build); judged relative to the package, so a
  // checkout that happens to live under a directory named "build" is copied whole.
  cpSync(source, scratch, { recursive: true, filter: (src) => relative(source, src).split(sep)[0] !== 'build' })
  const env = { ...process.env }
  // Under npm scripts an inherited nodedir/target makes node-gyp quietly build for Node's ABI.
  for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(key)) delete env[key]
  const result = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: scratch, env, stdio: 'inherit' },
  )
  if (result.status !== 0) {
    throw new Error(
      "node-gyp failed: it needs a C++ toolchain (python3, make, g++) and, the first time, Electron's headers from the internet",
    )
  }
  const built = join(scratch, 'build', 'Release', 'better_sqlite3.node')
  const found = abiOf(built)
  if (found !== abi)
    throw new Error(`the build came out for ABI ${found ?? 'unknown'}, but Electron ${version} needs ${abi}; nothing was installed`)
  // Into place in one rename: a failed or interrupted build never leaves a half-written module.
  mkdirSync(dirname(out), { recursive: true })
  const partial = `${out}.${process.pid}.partial`
  copyFileSync(built, partial)
  renameSync(partial, out)
  const shown = out.startsWith(root + sep) ? relative(root, out) : out
  console.log(`gatehouse: ${shown} built for Electron ${version} (ABI ${found})`)
} catch (err) {
  console.error(`gatehouse: ${err.message}`)
  process.exitCode = 1
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
