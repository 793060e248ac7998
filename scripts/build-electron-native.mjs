#!/usr/bin/env node
// Opt-in (`npm run rebuild:electron`, needs Electron's headers from the internet): builds
// better-sqlite3 for Electron's ABI in a scratch copy and puts the result in native/electron/.
// node_modules/better-sqlite3 (the Node build that tests and browser mode use) is never touched.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const expectedAbi = readFileSync(join(root, 'node_modules/electron/abi_version'), 'utf8').trim()
const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-native-'))
try {
  cpSync(join(root, 'node_modules/better-sqlite3'), scratch, { recursive: true, filter: (src) => !src.includes('/build/') })
  const env = { ...process.env }
  // Under npm scripts an inherited nodedir makes node-gyp quietly build for Node's ABI.
  for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl)$/i.test(key)) delete env[key]
  const gyp = join(root, 'node_modules/node-gyp/bin/node-gyp.js')
  const result = spawnSync(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: scratch, env, stdio: 'inherit' },
  )
  if (result.status !== 0) throw new Error('node-gyp failed (it needs Electron headers from the internet)')
  const built = join(scratch, 'build/Release/better_sqlite3.node')
  const abi = /node_register_module_v(\d+)/.exec(readFileSync(built).toString('latin1'))?.[1]
  if (abi !== expectedAbi) throw new Error(`built for ABI ${abi ?? 'unknown'}, Electron ${electronVersion} needs ${expectedAbi}`)
  mkdirSync(join(root, 'native/electron'), { recursive: true })
  copyFileSync(built, join(root, 'native/electron/better_sqlite3.node'))
  console.log(`native/electron/better_sqlite3.node built for Electron ${electronVersion} (ABI ${abi})`)
} catch (err) {
  console.error(`gatehouse: ${err.message}`)
  process.exitCode = 1
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
