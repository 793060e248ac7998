// Packaging (`npm run dist`): AppImage + deb, NSIS, dmg. Needs the internet to fetch Electron,
// so it stays out of CI; scripts/packaging.test.ts reads this config back through
// electron-builder's own loader and file matcher. better-sqlite3 is loaded in the desk from the
// Electron-ABI build that `npm run rebuild:electron` writes to native/electron/ (shipped as an
// extra resource) — never rebuilt in node_modules, whose Node-ABI build the tests and browser mode
// use, and which is left out of the package (the desk never loads it).
import type { Configuration } from 'electron-builder'
import { APP_ID } from './src/main/desk/app-id'

const config: Configuration = {
  appId: APP_ID,
  productName: 'Gatehouse',
  directories: { output: 'dist', buildResources: 'resources' },
  files: [
    'out/**',
    'package.json',
    '!**/*.map',
    // better-sqlite3's JavaScript is needed; its Node-ABI build, object files and sources are not.
    '!node_modules/better-sqlite3/{build,deps,src}{,/**}',
    '!node_modules/better-sqlite3/binding.gyp',
  ],
  extraResources: [
    { from: 'native/electron', to: 'native/electron', filter: ['better_sqlite3.node'] },
    { from: 'resources', to: '.', filter: ['icon.png', 'tray.png', 'tray@2x.png', 'trayTemplate.png', 'trayTemplate@2x.png'] },
  ],
  // Pitfall: an electron-builder rebuild of native modules deletes the Node build first.
  npmRebuild: false,
  nodeGypRebuild: false,
  asar: true,
  // No addon is left inside app.asar today; one added later must be unpacked to load.
  asarUnpack: ['**/*.node'],
  // The packaged app cannot be turned into something else from outside: no ELECTRON_RUN_AS_NODE,
  // no NODE_OPTIONS, no --inspect, only the signed-off app.asar (checked against its embedded hash
  // where Electron supports it: macOS, Windows), and cookies encrypted with the OS keychain.
  // grantFileProtocolExtraPrivileges stays as it is: the desk's page is a file:// page whose module
  // scripts load over file://.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    icon: 'resources/icon.png',
    maintainer: 'Gatehouse <gatehouse@example.invalid>',
  },
  win: { target: ['nsis'], icon: 'resources/icon.png' },
  mac: { target: ['dmg'], icon: 'resources/icon.png', category: 'public.app-category.utilities' },
}

export default config
