// Which better-sqlite3 the desk loads: the Electron-ABI build apart from node_modules (whose Node
// build would fail to load in Electron), checked for this runtime's ABI before anything opens
// the store, so a wrong or missing build is a message saying what to do, not a crash deep inside.
// Plain Node; the ABI is read as scripts/electron-native.mjs reads it.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NativeModuleError } from './desk-errors'

/** The ABI a built addon is for (`node_register_module_v<ABI>`), or null: missing, or no such addon. */
export function addonAbi(file: string): string | null {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return null
  }
  return /node_register_module_v(\d+)/.exec(bytes.toString('latin1'))?.[1] ?? null
}

export interface NativeBindingPlace {
  packaged: boolean
  /** process.resourcesPath (packaged) */
  resourcesPath: string
  /** app.getAppPath() (development: the project root) */
  appPath: string
  env: NodeJS.ProcessEnv
  /** The ABI this runtime loads: process.versions.modules. */
  abi: string
}

/**
 * The path to pass as `nativeBinding`. Packaged: resources/native/electron (put there by the
 * packager). Development: GATEHOUSE_ELECTRON_NATIVE (set by `npm start`) or native/electron in
 * the project. Throws NativeModuleError, with what to do, when it is missing or for another ABI.
 */
export function deskNativeBinding(place: NativeBindingPlace): string {
  const override = place.packaged ? undefined : place.env.GATEHOUSE_ELECTRON_NATIVE?.trim()
  const file = override
    ? resolve(override)
    : join(place.packaged ? place.resourcesPath : place.appPath, 'native', 'electron', 'better_sqlite3.node')
  const found = addonAbi(file)
  if (found === place.abi) return file
  const what =
    found === null
      ? `${file} is missing (or is not a Node addon)`
      : `${file} is built for ABI ${found}, and this Electron loads ABI ${place.abi}`
  const todo = place.packaged
    ? 'The installation is damaged: reinstall Gatehouse.'
    : "Run `npm run rebuild:electron` (it needs a C++ toolchain and, the first time, Electron's headers from the internet), or start with `npm start`, which builds it."
  throw new NativeModuleError(`The desk's database module (better-sqlite3 for Electron) cannot be loaded: ${what}. ${todo}`)
}
