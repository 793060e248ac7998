#!/usr/bin/env node
// The launcher behind `npm start` (which builds first): the desk in Electron where it can run here,
// else one line saying why and browser mode (`gatehouse station`). Arguments go to the station.
// GATEHOUSE_ELECTRON names an Electron executable to use instead of the electron package's.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { prepareDesk, root, runChild } from './desk-launch.mjs'

export function launch(args, env = process.env) {
  const desk = prepareDesk({ env })
  // Electron is given the project root (not out/main/index.js): the app path is then the root,
  // where package.json names the main script and native/ and resources/ are found.
  if ('path' in desk) return runChild(desk.path, [root, ...args], desk.env)
  console.log(`gatehouse: ${desk.why}; starting browser mode instead.`)
  return runChild(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'station', ...args], env)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) launch(process.argv.slice(2))
