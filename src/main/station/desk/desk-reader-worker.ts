// The desk's heavy reads (log pages and exports) on a worker thread, over a read-only connection
// of its own: the SQL and the JSON of a 1,000-row page never run on the receiver's event loop.
// Answers are sent as the JSON text of the result, ready for the WebSocket frame.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { createWebhookLogStore } from '../store/webhook-log'
import { runReaderCommand, type ReaderRequest } from './desk-reads'

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string }
const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
db.pragma('busy_timeout = 1000')
const log = createWebhookLogStore(db)

parentPort!.on('message', (request: ReaderRequest) => {
  try {
    parentPort!.postMessage({ id: request.id, ok: true, json: JSON.stringify(runReaderCommand(log, request)) })
  } catch (err) {
    // The main thread logs it and answers INTERNAL, as for any command.
    parentPort!.postMessage({ id: request.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
  }
})
