// The packaging config as electron-builder itself reads it (its loader, its schema, its file
// matchers — the functions `electron-builder` runs before it copies anything), so what this
// asserts is what `npm run dist` would package. Electron cannot be downloaded here, so nothing is
// packaged; the fuses are checked as the values electron-builder hands to @electron/fuses.
import { beforeAll, describe, expect, it } from 'vitest'
import { existsSync, lstatSync, type Stats } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Configuration } from 'electron-builder'
import { APP_ID } from '../src/main/desk/app-id'
import { deskNativeBinding } from '../src/main/desk/native-binding'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

type Filter = (file: string, stat: Stats | { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean
interface Matcher {
  patterns: string[]
  createFilter(): Filter
}
// electron-builder's internals (app-builder-lib, pinned through electron-builder 26.17.0).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (projectDir: string, configPath: string, fromOptions: null) => Promise<Configuration>
  validateConfiguration: (config: Configuration, logger: unknown) => Promise<void>
}
const fileMatcher = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (from: string, to: string, macro: (p: string) => string, patterns?: string[]) => Matcher
  getMainFileMatchers(
    appDir: string,
    to: string,
    macro: (p: string) => string,
    platform: object,
    packager: object,
    outDir: string,
    compile: boolean,
  ): Matcher[]
  getNodeModuleFileMatcher(appDir: string, to: string, macro: (p: string) => string, platform: object, info: object): Matcher
  getFileMatchers(
    config: Configuration,
    name: 'extraResources',
    to: string,
    options: { macroExpander: (p: string) => string; customBuildOptions: object; globalOutDir: string; defaultSrc: string },
  ): Array<Matcher & { from: string; to: string }> | null
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

let config: Configuration
let appFile: (path: string) => boolean
let moduleFile: (moduleName: string, path: string) => boolean

beforeAll(async () => {
  config = await getConfig(root, 'electron-builder.config.ts', null)
  const info = {
    projectDir: root,
    buildResourcesDir: join(root, 'resources'),
    config,
    isPrepackedAppAsar: false,
    debugLogger: new DebugLogger(false),
  }
  const same = (p: string): string => p
  const [main] = fileMatcher.getMainFileMatchers(root, '/app', same, {}, { info }, join(root, 'dist'), false)
  const mainFilter = main!.createFilter()
  appFile = (path) => mainFilter(join(root, path), { isDirectory: () => false })
  const modules = fileMatcher.getNodeModuleFileMatcher(root, '/app', same, {}, info)
  // As electron-builder copies a dependency: each directory on the way, then the file.
  moduleFile = (moduleName, path) => {
    const dir = join(root, 'node_modules', moduleName)
    const filter = new fileMatcher.FileMatcher(dir, join('/app/node_modules', moduleName), same, modules.patterns).createFilter()
    const parts = path.split('/')
    return parts.every((_, i) => {
      const rel = parts.slice(0, i + 1).join('/')
      const stat = lstatSync(join(dir, rel)) as Stats & { moduleFullFilePath: string }
      stat.moduleFullFilePath = join('node_modules', moduleName, rel)
      return filter(join(dir, rel), stat)
    })
  }
})

describe('the packaging config, read back by electron-builder', () => {
  it("loads through electron-builder's own loader and passes its schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
    expect(config.appId).toBe(APP_ID) // the AppUserModelId the desk sets, so Windows shows its notifications
  })

  it('flips the fuses: no run-as-node, NODE_OPTIONS or --inspect; only the integrity-checked app.asar; encrypted cookies', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    })
    expect(config.asar).toBe(true)
  })

  it('packages the built app and package.json, not sources, scripts, native builds or source maps', () => {
    for (const path of ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(appFile(path), path).toBe(true)
    }
    for (const path of [
      'out/main/index.js.map',
      'src/main/index.ts',
      'scripts/start.mjs',
      'e2e/electron.spec.ts',
      'native/electron/better_sqlite3.node',
      'electron-builder.config.ts',
    ]) {
      expect(appFile(path), path).toBe(false)
    }
  })

  it("keeps better-sqlite3's JavaScript and leaves out its Node-ABI build, object files and sources", () => {
    for (const path of ['package.json', 'lib/index.js', 'lib/database.js']) expect(moduleFile('better-sqlite3', path), path).toBe(true)
    for (const path of [
      'build/Release/better_sqlite3.node',
      'build/Release/obj.target',
      'build/Release/test_extension.node',
      'deps/sqlite3/sqlite3.c',
      'binding.gyp',
    ]) {
      expect(moduleFile('better-sqlite3', path), path).toBe(false)
    }
    expect(moduleFile('better-sqlite3', 'src')).toBe(false)
    // Other dependencies are packaged as usual.
    expect(moduleFile('fastify', 'package.json')).toBe(true)
  })

  it('ships the Electron-ABI build and the icons as resources, where the packaged desk looks for them', () => {
    const R = join(root, 'dist', 'resources-under-test')
    const matchers = fileMatcher.getFileMatchers(config, 'extraResources', R, {
      macroExpander: (p) => p,
      customBuildOptions: {},
      globalOutDir: join(root, 'dist'),
      defaultSrc: root,
    })!
    const copied = (from: string, file: string): string | null => {
      const m = matchers.find((x) => x.from === join(root, from))
      return m && m.createFilter()(join(m.from, file), { isDirectory: () => false }) ? join(m.to, file) : null
    }
    // The native build lands exactly where the packaged desk loads it from.
    const native = copied('native/electron', 'better_sqlite3.node')
    expect(native).toBe(join(R, 'native', 'electron', 'better_sqlite3.node'))
    expect(() => deskNativeBinding({ packaged: true, resourcesPath: R, appPath: '/A', env: {}, abi: '150' })).toThrow(
      `${native} is missing`,
    )
    expect(copied('native/electron', 'other.node')).toBeNull()
    // The icons land at the top of resources/, where the packaged desk looks (process.resourcesPath).
    for (const file of ['icon.png', 'tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png']) {
      expect(copied('resources', file), file).toBe(join(R, file))
      expect(existsSync(join(root, 'resources', file)), file).toBe(true)
    }
    expect(copied('resources', 'render-icon.mjs')).toBeNull()
  })

  it('never rebuilds native modules inside node_modules (that deletes the Node build the tests use)', () => {
    expect(config.npmRebuild).toBe(false)
    expect(config.nodeGypRebuild).toBe(false)
  })
})
