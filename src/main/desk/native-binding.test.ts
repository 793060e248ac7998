// The desk loads better-sqlite3 from its own Electron-ABI build, checked against the runtime's
// ABI before the store opens: a missing or wrong build is a NativeModuleError saying what to do.
// Run against the real Node build of better-sqlite3 (its ABI is this Node's).
import { afterEach, describe, expect, it } from 'vitest'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { tempDir } from '../test-support/station'
import { NativeModuleError } from './desk-errors'
import { addonAbi, deskNativeBinding } from './native-binding'

const nodeBuild = join(
  dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
)
const thisAbi = process.versions.modules
const dirs: string[] = []
const dir = (): string => {
  const d = tempDir('gatehouse-native-')
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** Places a copy of the real Node build where the desk looks for its native module. */
function placeBuild(base: string): string {
  const file = join(base, 'native', 'electron', 'better_sqlite3.node')
  mkdirSync(dirname(file), { recursive: true })
  copyFileSync(nodeBuild, file)
  return file
}

describe('the ABI of a built addon', () => {
  it("reads the real better-sqlite3 build's ABI as this Node's", () => {
    expect(addonAbi(nodeBuild)).toBe(thisAbi)
  })

  it('is null for a missing file and for a file that is no addon', () => {
    const d = dir()
    expect(addonAbi(join(d, 'missing.node'))).toBeNull()
    writeFileSync(join(d, 'text.node'), 'not an addon')
    expect(addonAbi(join(d, 'text.node'))).toBeNull()
  })
})

describe("the desk's native binding", () => {
  it('packaged: resources/native/electron, where the packager puts it; GATEHOUSE_ELECTRON_NATIVE is ignored', () => {
    const resources = dir()
    const file = placeBuild(resources)
    const elsewhere = placeBuild(dir())
    const found = deskNativeBinding({
      packaged: true,
      resourcesPath: resources,
      appPath: '/nowhere',
      env: { GATEHOUSE_ELECTRON_NATIVE: elsewhere },
      abi: thisAbi,
    })
    expect(found).toBe(file)
    // …and the file it names really loads and opens a database.
    const db = new Database(':memory:', { nativeBinding: found })
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 })
    db.close()
  })

  it('development: native/electron in the project, or GATEHOUSE_ELECTRON_NATIVE as npm start sets it', () => {
    const project = dir()
    const inProject = placeBuild(project)
    expect(deskNativeBinding({ packaged: false, resourcesPath: '/nowhere', appPath: project, env: {}, abi: thisAbi })).toBe(inProject)
    const other = placeBuild(dir())
    expect(
      deskNativeBinding({
        packaged: false,
        resourcesPath: '/nowhere',
        appPath: project,
        env: { GATEHOUSE_ELECTRON_NATIVE: other },
        abi: thisAbi,
      }),
    ).toBe(other)
  })

  it('refuses a build for another ABI, naming both and the command to run (never falls back to the Node build)', () => {
    const project = dir()
    placeBuild(project)
    const attempt = (): string => deskNativeBinding({ packaged: false, resourcesPath: '/nowhere', appPath: project, env: {}, abi: '150' })
    expect(attempt).toThrow(NativeModuleError)
    expect(attempt).toThrow(new RegExp(`built for ABI ${thisAbi}, and this Electron loads ABI 150.*npm run rebuild:electron`))
  })

  it('refuses a missing build: in development with the command, packaged with "reinstall"', () => {
    expect(() => deskNativeBinding({ packaged: false, resourcesPath: '/nowhere', appPath: dir(), env: {}, abi: thisAbi })).toThrow(
      /is missing.*npm run rebuild:electron/,
    )
    expect(() => deskNativeBinding({ packaged: true, resourcesPath: dir(), appPath: '/nowhere', env: {}, abi: thisAbi })).toThrow(
      /reinstall Gatehouse/,
    )
  })
})
