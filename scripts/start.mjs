#!/usr/bin/env node
// `npm start`: build, then run the desk in Electron — or, where there is no Electron binary or no
// display (a headless server), say so in one line and run browser mode instead.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { build, findDesk, root } from './desk-launch.mjs'

const args = process.argv.slice(2)
build('gatehouse')
const desk = findDesk()
const child = desk.path
  ? spawn(desk.path, [root, ...args], { stdio: 'inherit' })
  : (console.log(`gatehouse: ${desk.why}; starting browser mode instead.`),
    spawn(process.execPath, [join(root, 'out', 'main', 'cli.js'), 'station', ...args], { stdio: 'inherit' }))

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
