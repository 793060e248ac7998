#!/usr/bin/env node
// `npm run dev`: electron-vite's dev server, the renderer hot-reloaded in the desk. It needs the
// desk (an Electron binary, a display, better-sqlite3 built for Electron); where there is none it
// says so in one line and stops — `npm start` runs browser mode there.
import { join } from 'node:path'
import { prepareDesk, root, runChild } from './desk-launch.mjs'

const desk = prepareDesk()
if ('why' in desk) {
  console.error(`gatehouse: npm run dev needs the desk, and ${desk.why}; \`npm start\` runs browser mode instead.`)
  process.exit(1)
}
// electron-vite starts Electron itself: ELECTRON_EXEC_PATH tells it which one.
runChild(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'dev', ...process.argv.slice(2)], {
  ...desk.env,
  ELECTRON_EXEC_PATH: desk.path,
})
