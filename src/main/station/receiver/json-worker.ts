// Large JSON bodies (an attendee-sync of 100k rows is ~12 MB) parsed off the event loop: parsing one
// on the receiver's thread holds every scan behind it for a quarter of a second. A worker thread
// parses with the same parser and options as the receiver (so the result is the same value, byte
// for byte, duplicate keys and `__proto__` included) and sends an `attendees` array back in
// chunks, each a small structured clone, so taking the result in never blocks the loop for long.
// The receiver asks for each next chunk after a turn of its loop: messages already waiting on a
// port are all delivered in one go (measured: 50 chunks of a 100k-row sync held the loop 280 ms).
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'

/** Bodies from this size on are parsed in the worker. */
export const WORKER_PARSE_BYTES = 256 * 1024
/** Array elements per message back. */
const CHUNK = 2_000

// Evaluated from a string (CommonJS) so the bundle needs no separate worker file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const sjson = require(workerData.parserPath)
const CHUNK = workerData.chunk
const waiting = new Map()
function send(id) {
  const job = waiting.get(id)
  if (!job) return
  if (job.next >= job.rows.length) {
    waiting.delete(id)
    parentPort.postMessage({ id, kind: 'end' })
    return
  }
  parentPort.postMessage({ id, kind: 'rows', rows: job.rows.slice(job.next, job.next + CHUNK) })
  job.next += CHUNK
}
parentPort.on('message', ({ id, bytes, more }) => {
  if (more) return send(id)
  let value
  try {
    value = sjson.parse(Buffer.from(bytes), undefined, { protoAction: 'remove', constructorAction: 'remove' })
  } catch {
    parentPort.postMessage({ id, kind: 'invalid' })
    return
  }
  const rows = value !== null && typeof value === 'object' && !Array.isArray(value) && Array.isArray(value.attendees) ? value.attendees : null
  if (rows === null || rows.length <= CHUNK) {
    parentPort.postMessage({ id, kind: 'value', value })
    return
  }
  // Own keys in their order, the big array replaced by its length; the rows follow in chunks.
  const head = {}
  for (const key of Object.keys(value)) head[key] = key === 'attendees' ? null : value[key]
  parentPort.postMessage({ id, kind: 'head', head, length: rows.length })
  waiting.set(id, { rows, next: 0 })
  send(id)
})
`

export type Parsed = { ok: true; value: unknown } | { ok: false }

type Message =
  | { id: number; kind: 'invalid' }
  | { id: number; kind: 'value'; value: unknown }
  | { id: number; kind: 'head'; head: Record<string, unknown>; length: number }
  | { id: number; kind: 'rows'; rows: unknown[] }
  | { id: number; kind: 'end' }

interface Job {
  resolve: (p: Parsed) => void
  reject: (err: unknown) => void
  head?: Record<string, unknown>
  rows?: unknown[]
}

export interface JsonWorker {
  /** Parses `raw` as the receiver would; rejects only when the worker itself failed. */
  parse(raw: Buffer): Promise<Parsed>
  close(): Promise<void>
}

export function createJsonWorker(): JsonWorker {
  let worker: Worker | null = null
  let nextId = 1
  const jobs = new Map<number, Job>()

  function failAll(err: unknown): void {
    for (const job of jobs.values()) job.reject(err)
    jobs.clear()
    worker = null
  }

  function start(): Worker {
    const parserPath = createRequire(import.meta.url).resolve('secure-json-parse')
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { parserPath, chunk: CHUNK } })
    w.unref()
    w.on('message', (m: Message) => {
      const job = jobs.get(m.id)
      if (!job) return
      if (m.kind === 'invalid' || m.kind === 'value') {
        jobs.delete(m.id)
        job.resolve(m.kind === 'invalid' ? { ok: false } : { ok: true, value: m.value })
      } else if (m.kind === 'head') {
        job.head = m.head
        job.rows = []
      } else if (m.kind === 'rows') {
        for (const row of m.rows) job.rows!.push(row)
        // The next chunk after a turn of the loop: scans waiting on their sockets go first.
        setImmediate(() => w.postMessage({ id: m.id, more: true }))
      } else {
        jobs.delete(m.id)
        job.head!.attendees = job.rows
        job.resolve({ ok: true, value: job.head })
      }
    })
    w.on('error', failAll)
    w.on('exit', (code) => failAll(new Error(`the JSON worker exited (${code})`)))
    return w
  }

  return {
    parse(raw: Buffer): Promise<Parsed> {
      return new Promise((resolve, reject) => {
        try {
          worker ??= start()
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)))
          return
        }
        const id = nextId++
        jobs.set(id, { resolve, reject })
        // A copy moves to the worker; the receiver keeps `raw` for the log and the signature.
        const bytes = new Uint8Array(raw).buffer
        // Busy while a job is in flight, so a station with none pending can still exit.
        worker.ref()
        worker.postMessage({ id, bytes }, [bytes])
      }).finally(() => {
        if (jobs.size === 0) worker?.unref()
      }) as Promise<Parsed>
    },
    async close() {
      const w = worker
      worker = null
      if (w) {
        w.removeAllListeners('exit')
        await w.terminate()
      }
      failAll(new Error('the JSON worker was closed'))
    },
  }
}
