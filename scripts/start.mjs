#!/usr/bin/env node
// `npm start`: build, then run the desk in Electron — or, where there is no Electron binary, no
// display (a headless server) or no way to build better-sqlite3 for Electron, say so in one line
// and run browser mode instead (scripts/launch.mjs).
import { build } from './desk-launch.mjs'
import { launch } from './launch.mjs'

build('gatehouse')
launch(process.argv.slice(2))
