// The main thread's side of the desk reader thread (desk-reader-worker.ts): requests out, the
// answer's JSON back as UTF-8 bytes. A thread that dies (or cannot start) fails the calls it held
// with READER_UNAVAILABLE and is started again at the next call; reads never fall back onto the
// receiver's loop. Found next to this module when built (out/main), or run from source through tsx.
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { DeskCommands } from './command-types'
import type { ReaderCommand } from './desk-reads'
import { DeskError } from './errors'

/** Free bytes the reader thread leaves around each answer's JSON, for a frame's head and tail. */
export const FRAME_ROOM = { before: 96, after: 8 }

/** A result value already serialised (UTF-8 JSON, bytes[start, end)) by the reader thread, framed without re-encoding. */
export class RawJson {
  constructor(
    readonly bytes: Uint8Array,
    readonly start = 0,
    readonly end = bytes.byteLength,
  ) {}

  /** head + JSON + tail as one buffer: written into the room around the JSON when it fits (no copy), else joined. */
  framed(head: Buffer, tail: Buffer): Buffer {
    const { bytes, start, end } = this
    if (head.length > start || tail.length > bytes.byteLength - end) {
      return Buffer.concat([head, bytes.subarray(start, end), tail])
    }
    bytes.set(head, start - head.length)
    bytes.set(tail, end)
    return Buffer.from(bytes.buffer, bytes.byteOffset + start - head.length, head.length + (end - start) + tail.length)
  }
}

/** The thread's first message: its OS thread id and nice value (null where it could not set one). */
export interface ReaderReady {
  type: 'ready'
  tid: number | null
  nice: number | null
}
export type ReaderAnswer =
  | { type: 'answer'; id: number; ok: true; bytes: Uint8Array<ArrayBuffer>; start: number; end: number }
  | { type: 'answer'; id: number; ok: false; error: string }

export interface DeskReader {
  /** `desk` names the caller: the thread takes the desks' reads in turn, not first come first served. */
  run(command: ReaderCommand, input: unknown, desk?: object): Promise<RawJson>
  /** Whether a reader thread is running now. */
  healthy(): boolean
  /** The running thread's OS id and nice value, once it has started (null when none runs). */
  thread(): ReaderReady | null
  /** Ends the running thread as a crash would (the tests' way to kill it); the next call starts another. */
  stopThread(): Promise<void>
  close(): Promise<void>
}

export interface DeskReaderOptions {
  nativeBinding?: string
  /** Where a thread's failure is reported (the station's console by default). */
  logError?: (message: string, err: unknown) => void
}

function startWorker(file: string, nativeBinding: string | undefined): Worker {
  const workerData = { file, nativeBinding }
  for (const rel of ['./desk-reader-worker.js', '../desk-reader-worker.js']) {
    const url = new URL(rel, import.meta.url)
    if (existsSync(fileURLToPath(url))) return new Worker(url, { workerData })
  }
  // From source (tsx, vitest): register tsx's loader inside the thread, then load the module.
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'))
  const tsx = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href
  const entry = new URL('./desk-reader-worker.ts', import.meta.url).href
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}) })`, {
    eval: true,
    workerData,
  })
}

/** After a thread that failed before it was ready: wait this long (doubling to the max) before the next try. */
const RETRY_FIRST_MS = 1_000
const RETRY_MAX_MS = 30_000

const unavailable = (why: string): DeskError =>
  new DeskError('READER_UNAVAILABLE', `The station's log reader stopped (${why}); it is being restarted: try again in a moment`)

interface Thread {
  worker: Worker
  ready: ReaderReady | null
  waiting: Map<number, { resolve: (v: RawJson) => void; reject: (e: Error) => void }>
  ended: boolean
}

export function startDeskReader(file: string, options: DeskReaderOptions = {}): DeskReader {
  const logError = options.logError ?? ((message, err) => console.error(`gatehouse: ${message}`, err))
  let current: Thread | null = null
  let nextId = 1
  let retryAt = 0
  let retryMs = RETRY_FIRST_MS
  let closed = false
  const lanes = new WeakMap<object, number>()
  let nextLane = 1
  const laneOf = (desk: object): number => {
    let lane = lanes.get(desk)
    if (lane === undefined) lanes.set(desk, (lane = nextLane++))
    return lane
  }

  const spawn = (): Thread => {
    const worker = startWorker(file, options.nativeBinding)
    worker.unref()
    const thread: Thread = { worker, ready: null, waiting: new Map(), ended: false }
    let cause: unknown = null
    worker.on('message', (m: ReaderReady | ReaderAnswer) => {
      if (m.type === 'ready') {
        thread.ready = m
        retryMs = RETRY_FIRST_MS
        return
      }
      const w = thread.waiting.get(m.id)
      if (!w) return
      thread.waiting.delete(m.id)
      if (m.ok) w.resolve(new RawJson(m.bytes, m.start, m.end))
      else w.reject(new Error(`desk reader: ${m.error}`))
    })
    worker.on('error', (err) => (cause = err))
    worker.on('exit', (code) => {
      thread.ended = true
      if (current === thread) current = null
      if (closed) return
      const why = cause instanceof Error ? cause.message : `exit code ${code}`
      logError(`the desk reader thread ended (${why}); the next desk read starts another`, cause ?? code)
      // One that never got ready (a file it cannot open…) is not retried at every call.
      if (!thread.ready) {
        retryAt = Date.now() + retryMs
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS)
      }
      for (const w of thread.waiting.values()) w.reject(unavailable(why))
      thread.waiting.clear()
    })
    return thread
  }

  current = spawn()
  return {
    run(command, input, desk) {
      if (closed) return Promise.reject(unavailable('the station is closing'))
      if (!current) {
        if (Date.now() < retryAt) return Promise.reject(unavailable('it could not start'))
        current = spawn()
      }
      const thread = current
      const id = nextId++
      return new Promise((resolve, reject) => {
        thread.waiting.set(id, { resolve, reject })
        thread.worker.postMessage({ id, lane: desk ? laneOf(desk) : 0, command, input })
      })
    },
    healthy: () => current?.ready != null,
    thread: () => current?.ready ?? null,
    stopThread: async () => {
      const thread = current
      if (!thread || thread.ended) return
      await new Promise<void>((resolve) => {
        thread.worker.once('exit', () => resolve())
        void thread.worker.terminate()
      })
    },
    close: async () => {
      closed = true
      const thread = current
      current = null
      if (!thread) return
      for (const w of thread.waiting.values()) w.reject(unavailable('the station is closing'))
      thread.waiting.clear()
      await thread.worker.terminate()
    },
  }
}

/** The desk commands with the heavy reads sent to the reader thread (their input already validated). */
export function withReader(commands: DeskCommands, reader: DeskReader): DeskCommands {
  return {
    ...commands,
    'logs:query': (input, session) => reader.run('logs:query', input, session) as unknown as ReturnType<DeskCommands['logs:query']>,
    'logs:export': (input, session) => reader.run('logs:export', input, session) as unknown as ReturnType<DeskCommands['logs:export']>,
  }
}
