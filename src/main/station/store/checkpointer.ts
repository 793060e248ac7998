// Moves WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside a commit,
// on the thread that answers gateways: every ~1,000 pages one commit stalls for milliseconds (the
// p99 of access-event). A worker thread with its own short-lived connection checkpoints PASSIVE
// (it never blocks the writer) several times a second; the station's connection keeps a much
// higher automatic threshold only as a backstop for when the worker cannot keep up.
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import type { Db } from './db'

/** Pages after which the station's own connection checkpoints anyway (~64 MiB of WAL). */
export const BACKSTOP_PAGES = 16_000

// Evaluated from a string (CommonJS) so the bundle needs no separate worker file. The connection
// is opened per round and closed again, so the station's -wal guard never finds it holding the
// file; a round is skipped when the -wal is missing (opening it would create a new one).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads')
const { statSync } = require('node:fs')
const Database = require(workerData.modulePath)
const options = Object.assign({ fileMustExist: true }, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {})
let seen = ''
function round() {
  // Nothing written since the last round (or no log at all): no connection is opened.
  const wal = statSync(workerData.file + '-wal', { throwIfNoEntry: false })
  const stamp = wal ? wal.size + ':' + wal.mtimeMs : ''
  if (wal && stamp !== seen) {
    try {
      const db = new Database(workerData.file, options)
      try {
        db.pragma('busy_timeout = 0')
        const [r] = db.pragma('wal_checkpoint(PASSIVE)')
        // Done only when every frame was copied; otherwise the next round tries again.
        if (r && !r.busy && r.checkpointed === r.log) seen = stamp
      } finally {
        db.close()
      }
    } catch (err) {
      // Busy, or the store is faulted: the station reports store faults; try again next round.
    }
  }
  setTimeout(round, workerData.intervalMs)
}
round()
`

export interface Checkpointer {
  thread: 'worker' | 'main'
  stop(): Promise<void>
}

export function startCheckpointer(db: Db, options: { intervalMs?: number; nativeBinding?: string } = {}): Checkpointer {
  if (db.memory) return { thread: 'main', stop: () => Promise.resolve() }
  let worker: Worker
  try {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3')
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: db.name, modulePath, nativeBinding: options.nativeBinding, intervalMs: options.intervalMs ?? 200 },
    })
  } catch {
    return { thread: 'main', stop: () => Promise.resolve() }
  }
  worker.unref()
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`)
  // If the worker dies, the station's connection goes back to checkpointing by itself.
  const restore = (): void => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000')
  }
  worker.once('error', restore)
  worker.once('exit', restore)
  return {
    thread: 'worker',
    async stop() {
      worker.off('exit', restore)
      worker.off('error', restore)
      // Keep the process alive until the thread is gone (a round in progress finishes first).
      worker.ref()
      await worker.terminate()
    },
  }
}
