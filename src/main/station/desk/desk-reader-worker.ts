// The desk's heavy reads (log pages and exports) on a worker thread, over a read-only connection
// of its own: the SQL, the JSON and its UTF-8 of a 1,000-row page never run on the receiver's event
// loop. The thread runs at the lowest CPU priority it can set, so on a busy box the gates win the
// core; each answer goes back as the UTF-8 bytes of the result's JSON, transferred (not copied),
// with room around them for the WebSocket frame's head and tail.
import { parentPort, workerData } from 'node:worker_threads'
import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'
import Database from 'better-sqlite3'
import { createWebhookLogStore } from '../store/webhook-log'
import { runReaderCommand, type ReaderRequest } from './desk-reads'
import { FRAME_ROOM, type ReaderAnswer, type ReaderReady } from './desk-reader'

/** The nice value the reader thread asks for (the lowest priority there is on Linux). */
export const READER_NICE = 19
/** The most of the wall-clock time the thread spends reading while reads keep coming. */
export const READER_SHARE = 0.25

/**
 * Linux keeps a nice value per thread: setpriority() on this thread's own id lowers this thread
 * only, never the receiver's. Elsewhere (or if /proc is not mounted) the thread keeps its priority.
 */
function lowerOwnPriority(): { tid: number | null; nice: number | null } {
  if (process.platform !== 'linux') return { tid: null, nice: null }
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return { tid: null, nice: null }
    setPriority(tid, READER_NICE)
    return { tid, nice: getPriority(tid) }
  } catch {
    return { tid: null, nice: null }
  }
}

const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string }
const priority = lowerOwnPriority()
const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
db.pragma('busy_timeout = 1000')
const log = createWebhookLogStore(db)
const encoder = new TextEncoder()

parentPort!.postMessage({ type: 'ready', ...priority } satisfies ReaderReady)
// Requests wait here and are answered one at a time, paced so the thread is busy at most
// READER_SHARE of the time: under a flood of desk reads it leaves the cores to the gates however
// the OS schedules it, while a lone read is answered at once.
// One queue per desk, served in turn: an export's next page does not wait behind every query
// of ten desks flooding the log view (a Map iterates in insertion order; a served lane goes last).
const lanes = new Map<number, ReaderRequest[]>()
let resting = false
parentPort!.on('message', (request: ReaderRequest) => {
  const lane = request.lane ?? 0
  const queue = lanes.get(lane)
  if (queue) queue.push(request)
  else lanes.set(lane, [request])
  if (!resting) answerNext()
})

function nextRequest(): ReaderRequest | undefined {
  for (const [lane, queue] of lanes) {
    const request = queue.shift()
    lanes.delete(lane)
    if (queue.length > 0) lanes.set(lane, queue)
    if (request) return request
  }
  return undefined
}

function answerNext(): void {
  const request = nextRequest()
  if (!request) return
  const started = performance.now()
  answer(request)
  const busy = performance.now() - started
  resting = true
  setTimeout(
    () => {
      resting = false
      answerNext()
    },
    (busy * (1 - READER_SHARE)) / READER_SHARE,
  )
}

function answer(request: ReaderRequest): void {
  let answer: Extract<ReaderAnswer, { ok: true }>
  try {
    // One statement per page, so one read transaction: the page is a consistent snapshot.
    answer = encodeAnswer(request.id, JSON.stringify(runReaderCommand(log, request)))
  } catch (err) {
    // The main thread logs it and answers INTERNAL, as for any command.
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err)
    parentPort!.postMessage({ type: 'answer', id: request.id, ok: false, error } satisfies ReaderAnswer)
    return
  }
  // The buffer is this answer's own: moved to the main thread, not copied.
  parentPort!.postMessage(answer, [answer.bytes.buffer])
}

/** The JSON's UTF-8 with free room before and after it, where the main thread writes the frame's head and tail. */
function encodeAnswer(id: number, json: string): Extract<ReaderAnswer, { ok: true }> {
  const size = Buffer.byteLength(json)
  const bytes = new Uint8Array(new ArrayBuffer(FRAME_ROOM.before + size + FRAME_ROOM.after))
  encoder.encodeInto(json, bytes.subarray(FRAME_ROOM.before, FRAME_ROOM.before + size))
  return { type: 'answer', id, ok: true, bytes, start: FRAME_ROOM.before, end: FRAME_ROOM.before + size }
}
