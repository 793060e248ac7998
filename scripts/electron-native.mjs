// The Electron-ABI copy of better-sqlite3 that the desk loads (through its `nativeBinding` option):
// where it lives, which ABI a built module is for, and which one this Electron needs. The Node
// build in node_modules/better-sqlite3 (tests, browser mode) is never this file and never touched.
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The command that builds it, for messages. */
export const REBUILD_COMMAND = 'npm run rebuild:electron'

/** Electron's version and the Node module ABI it loads (`node_modules/electron/abi_version`). */
export function electronTarget(rootDir = root) {
  const dir = join(rootDir, 'node_modules', 'electron')
  return {
    version: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version,
    abi: readFileSync(join(dir, 'abi_version'), 'utf8').trim(),
  }
}

/**
 * Where the Electron-ABI build lives: native/electron/better_sqlite3.node, or
 * GATEHOUSE_ELECTRON_NATIVE (a development override; a packaged desk never reads it).
 */
export function nativeFile(env = process.env, rootDir = root) {
  const override = env.GATEHOUSE_ELECTRON_NATIVE?.trim()
  return override ? resolve(override) : join(rootDir, 'native', 'electron', 'better_sqlite3.node')
}

/**
 * The ABI a built Node addon is for, read from the symbol every non-N-API addon exports
 * (`node_register_module_v<ABI>`), or null when the file is missing or is no such addon.
 */
export function abiOf(file) {
  let bytes
  try {
    bytes = readFileSync(file)
  } catch {
    return null
  }
  return /node_register_module_v(\d+)/.exec(bytes.toString('latin1'))?.[1] ?? null
}

/** `{ state: 'ready' }`, `{ state: 'missing' }` or `{ state: 'wrong-abi', found }` of the build at `file`. */
export function nativeStatus(file, abi) {
  const found = abiOf(file)
  if (found === abi) return { state: 'ready' }
  return found === null ? { state: 'missing' } : { state: 'wrong-abi', found }
}
