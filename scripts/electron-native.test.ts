// The launcher's two probes: which ABI a built better-sqlite3 is for (read on the real Node build
// in node_modules), and where Electron's binary is — reading only the line carrying its path, as
// `require('electron')` prints "Downloading Electron binary..." first on first use.
import { afterAll, describe, expect, it } from 'vitest'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { displayMissing, findElectron, probeElectron } from './desk-launch.mjs'
import { abiOf, electronTarget, nativeFile, nativeStatus } from './electron-native.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nodeBuild = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const dirs: string[] = []
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'gatehouse-probe-'))
  dirs.push(d)
  return d
}
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the ABI check', () => {
  it("reads the real Node build's ABI as this Node's, and so refuses it for Electron", () => {
    const { abi } = electronTarget()
    expect(abiOf(nodeBuild)).toBe(process.versions.modules)
    expect(abi).not.toBe(process.versions.modules)
    expect(nativeStatus(nodeBuild, abi)).toEqual({ state: 'wrong-abi', found: process.versions.modules })
    expect(nativeStatus(nodeBuild, process.versions.modules)).toEqual({ state: 'ready' })
  })

  it('calls a missing file or a file that is no addon "missing"', () => {
    const d = temp()
    writeFileSync(join(d, 'junk.node'), 'junk')
    expect(nativeStatus(join(d, 'junk.node'), '150')).toEqual({ state: 'missing' })
    expect(nativeStatus(join(d, 'none.node'), '150')).toEqual({ state: 'missing' })
  })

  it("takes Electron's version and ABI from the installed electron package", () => {
    const target = electronTarget()
    const pkg = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
    expect(target.version).toBe(pkg.version)
    expect(target.abi).toBe(readFileSync(join(root, 'node_modules', 'electron', 'abi_version'), 'utf8').trim())
    expect(target.abi).toMatch(/^\d+$/)
  })

  it('keeps the build in native/electron, never in node_modules, unless GATEHOUSE_ELECTRON_NATIVE says otherwise', () => {
    expect(nativeFile({})).toBe(join(root, 'native', 'electron', 'better_sqlite3.node'))
    expect(nativeFile({ GATEHOUSE_ELECTRON_NATIVE: '/tmp/x/b.node' })).toBe('/tmp/x/b.node')
  })
})

/** A project whose `electron` package behaves as given (its index.js). */
function projectWithElectron(indexJs: string): string {
  const d = temp()
  mkdirSync(join(d, 'node_modules', 'electron'), { recursive: true })
  writeFileSync(join(d, 'node_modules', 'electron', 'package.json'), '{"name":"electron","main":"index.js"}')
  writeFileSync(join(d, 'node_modules', 'electron', 'index.js'), indexJs)
  return d
}

describe.skipIf(process.platform === 'win32')('the Electron probe', () => {
  it('on first use: ignores the "Downloading…" line and returns the path', () => {
    const d = temp()
    const binary = join(d, 'electron-binary')
    writeFileSync(binary, '#!/bin/sh\n')
    chmodSync(binary, 0o755)
    const project = projectWithElectron(`console.log('Downloading Electron binary...'); module.exports = ${JSON.stringify(binary)}`)
    expect(probeElectron(project)).toEqual({ path: binary })
  })

  it('a download that fails: why, in one line, from the error', () => {
    const project = projectWithElectron(
      `console.log('Downloading Electron binary...'); throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again')`,
    )
    const found = probeElectron(project)
    expect(found).toEqual({
      why: expect.stringMatching(
        /^the Electron binary is not available here \(require\('electron'\) could not download it: Electron failed to install correctly/,
      ),
    })
    expect((found as { why: string }).why).not.toContain('\n')
  })

  it('a path that is not there is not a binary', () => {
    const project = projectWithElectron(`module.exports = '/nonexistent/electron'`)
    expect(probeElectron(project)).toEqual({
      why: 'the Electron binary is not available here (/nonexistent/electron is not an executable file)',
    })
  })

  it('GATEHOUSE_ELECTRON wins over the package, and must be an executable file', () => {
    const d = temp()
    const own = join(d, 'my-electron')
    writeFileSync(own, '#!/bin/sh\n')
    chmodSync(own, 0o755)
    expect(findElectron({ GATEHOUSE_ELECTRON: own }, projectWithElectron('throw new Error("not used")'))).toEqual({ path: own })
    chmodSync(own, 0o644)
    expect(findElectron({ GATEHOUSE_ELECTRON: own })).toEqual({ why: `GATEHOUSE_ELECTRON=${own} is not an executable file` })
  })

  it('has no display on Linux without DISPLAY or WAYLAND_DISPLAY, and always one elsewhere', () => {
    expect(displayMissing({}, 'linux')).toBe(true)
    expect(displayMissing({ DISPLAY: ':0' }, 'linux')).toBe(false)
    expect(displayMissing({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(false)
    expect(displayMissing({}, 'darwin')).toBe(false)
    expect(displayMissing({}, 'win32')).toBe(false)
  })
})
