// Packaging (`npm run dist`): AppImage + deb, NSIS, dmg. Needs the internet to fetch Electron,
// so it stays out of CI. better-sqlite3 is loaded in the desk from the Electron-ABI build that
// `npm run rebuild:electron` writes to native/electron/ — never rebuilt in node_modules, whose
// Node-ABI build the tests and browser mode use.
import type { Configuration } from 'electron-builder'

const config: Configuration = {
  appId: 'cloud.gramercy.gatehouse',
  productName: 'Gatehouse',
  directories: { output: 'dist', buildResources: 'resources' },
  files: ['out/**', 'package.json', '!**/*.map'],
  extraResources: [
    { from: 'native/electron', to: 'native/electron', filter: ['*.node'] },
    { from: 'resources', to: '.', filter: ['icon.png', 'icon.svg'] },
  ],
  // Pitfall: an electron-builder rebuild of native modules deletes the Node build first.
  npmRebuild: false,
  nodeGypRebuild: false,
  asarUnpack: ['**/*.node'],
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
