// The store's check at every start: `quick_check`, or the full `integrity_check` when the last run
// did not shut down cleanly. It runs on a worker thread with its own read-only connection, so the
// receiver answers at once even when the check of a large file takes seconds (measured: a 700 MB
// file takes 0.5 s warm and 9 s from a cold page cache).
import { closeSync, fsyncSync, openSync, rmSync, writeSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import type { CommitQueue } from './commit-queue'
import type { Alerts } from '../access/alerts'
import type { FaultAlerts } from '../access/fault-alerts'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'

/** Present while a station has the data directory open; left behind by a crash or a kill. */
export const RUNNING_MARKER = 'station-running'

export interface StoreCheck {
  pragma: 'quick_check' | 'integrity_check'
  /** The marker of the previous run was still there: it did not close the store. */
  uncleanShutdown: boolean
  ok: boolean
  /** SQLite's own lines (at most 100), or why the file could not be checked. */
  problems: string[]
  ms: number
  /** 'main' only where no worker thread could be started. */
  thread: 'worker' | 'main'
}

/** Writes the marker (durably) and says whether the previous run left it behind. */
export function markRunning(dataDir: string): { uncleanShutdown: boolean } {
  const file = join(dataDir, RUNNING_MARKER)
  const uncleanShutdown = existsSync(file)
  try {
    const fd = openSync(file, 'w')
    try {
      writeSync(fd, `${process.pid} ${new Date().toISOString()}\n`)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // A read-only data directory: the store fault is reported by the first commit.
  }
  return { uncleanShutdown }
}

/** Called after the store was closed cleanly. */
export function markStopped(dataDir: string): void {
  rmSync(join(dataDir, RUNNING_MARKER), { force: true })
}

interface CheckInput {
  file: string
  pragma: StoreCheck['pragma']
  nativeBinding?: string
}

const MAX_PROBLEMS = 100

function runCheck(input: CheckInput): { problems: string[]; ms: number } {
  const start = performance.now()
  let lines: string[]
  try {
    const db = new Database(input.file, {
      readonly: true,
      fileMustExist: true,
      ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}),
    })
    try {
      db.pragma('busy_timeout = 5000')
      lines = db.prepare(`PRAGMA ${input.pragma}(${MAX_PROBLEMS})`).pluck().all() as string[]
    } finally {
      db.close()
    }
  } catch (err) {
    lines = [`${(err as { code?: string }).code ?? 'ERROR'}: ${(err as Error).message}`]
  }
  return { problems: lines.length === 1 && lines[0] === 'ok' ? [] : lines.map(String), ms: performance.now() - start }
}

// The worker is evaluated from a string (CommonJS) so it needs no file of its own in the bundle;
// it loads the same better-sqlite3 the station loaded.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { performance } = require('node:perf_hooks')
const Database = require(workerData.modulePath)
const start = performance.now()
let lines
try {
  const db = new Database(workerData.file, Object.assign({ readonly: true, fileMustExist: true }, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}))
  try {
    db.pragma('busy_timeout = 5000')
    lines = db.prepare('PRAGMA ' + workerData.pragma + '(${MAX_PROBLEMS})').pluck().all()
  } finally {
    db.close()
  }
} catch (err) {
  lines = [(err.code || 'ERROR') + ': ' + err.message]
}
parentPort.postMessage({ problems: lines.length === 1 && lines[0] === 'ok' ? [] : lines.map(String), ms: performance.now() - start })
`

export interface RunningCheck {
  result: Promise<StoreCheck>
  /** Stops waiting (the station is closing); a check in progress finishes in its thread. */
  cancel(): void
}

export function startStoreCheck(file: string, uncleanShutdown: boolean, nativeBinding?: string): RunningCheck {
  const input: CheckInput = { file, pragma: uncleanShutdown ? 'integrity_check' : 'quick_check', nativeBinding }
  const done = (r: { problems: string[]; ms: number }, thread: StoreCheck['thread']): StoreCheck => ({
    pragma: input.pragma,
    uncleanShutdown,
    ok: r.problems.length === 0,
    problems: r.problems,
    ms: Math.round(r.ms),
    thread,
  })
  let worker: Worker | undefined
  let cancelled = false
  const result = new Promise<StoreCheck>((resolve) => {
    let settled = false
    // Where a worker cannot be started (or dies), check on this thread rather than not at all.
    const here = (): void => {
      if (settled || cancelled) return
      settled = true
      setImmediate(() => resolve(done(runCheck(input), 'main')))
    }
    try {
      const modulePath = createRequire(import.meta.url).resolve('better-sqlite3')
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...input, modulePath } })
      worker.unref()
      worker.once('message', (m: { problems: string[]; ms: number }) => {
        settled = true
        resolve(done(m, 'worker'))
      })
      worker.once('error', here)
      worker.once('exit', here)
    } catch {
      here()
    }
  })
  return {
    result,
    cancel: () => {
      cancelled = true
      void worker?.terminate()
    },
  }
}

export function describeStoreCheck(c: StoreCheck): string {
  const when = c.uncleanShutdown ? ' (the last run did not shut down cleanly)' : ''
  if (c.ok) return `store check: ${c.pragma} ok in ${c.ms} ms${when}`
  return `store check: ${c.pragma} FAILED in ${c.ms} ms${when}: ${c.problems.slice(0, 3).join('; ')}`
}

/** A failed check becomes a critical alert on the desk; a later clean check resolves it. */
export async function reportStoreCheck(
  c: StoreCheck,
  deps: { queue: CommitQueue; alerts: Alerts; faults: FaultAlerts; hub: Hub<StationEvents> },
): Promise<void> {
  const { queue, alerts, faults, hub } = deps
  if (c.ok) {
    const resolved = await queue.enqueue(() => alerts.resolve('integrity_failure', 'store')).catch(() => undefined)
    if (resolved) hub.emit('alert:changed', resolved)
    return
  }
  const after = c.uncleanShutdown ? ' after an unclean shutdown' : ''
  const message =
    `The database failed its ${c.pragma} at start${after}: ${c.problems.slice(0, 3).join('; ')}`.slice(0, 600) +
    '. Keep the station running only if it must; restore the data directory from a backup.'
  const raisedAt = Date.now()
  try {
    const raised = await queue.enqueue(() => alerts.raise('integrity_failure', 'store', message, raisedAt))
    if (raised) hub.emit('alert:changed', raised)
  } catch {
    // Not even the alert can be written: held (with its id) and on the desk now, written once the store takes it.
    faults.raise('integrity_failure', 'store', message, raisedAt)
  }
}
