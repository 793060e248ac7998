// The main thread's side of the desk reader thread (desk-reader-worker.ts): requests out, JSON text
// back. Found next to this module when built (out/main), or run from source through tsx.
import { Worker } from 'node:worker_threads'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { DeskCommands } from './command-types'
import type { ReaderCommand } from './desk-reads'

/** A result value already serialised by the reader thread, spliced into the frame as it is. */
export class RawJson {
  constructor(readonly json: string) {}
}

export interface DeskReader {
  run(command: ReaderCommand, input: unknown): Promise<RawJson>
  /** False once the thread failed (reads then run in-process). */
  healthy(): boolean
  close(): Promise<void>
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

export function startDeskReader(file: string, options: { nativeBinding?: string } = {}): DeskReader {
  const worker = startWorker(file, options.nativeBinding)
  worker.unref()
  const waiting = new Map<number, { resolve: (v: RawJson) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let failure: Error | null = null
  const failAll = (err: Error): void => {
    failure = err
    for (const w of waiting.values()) w.reject(err)
    waiting.clear()
  }
  worker.on('message', (m: { id: number; ok: boolean; json?: string; error?: string }) => {
    const w = waiting.get(m.id)
    if (!w) return
    waiting.delete(m.id)
    if (m.ok) w.resolve(new RawJson(m.json!))
    else w.reject(new Error(`desk reader: ${m.error}`))
  })
  worker.on('error', (err) => failAll(err))
  worker.on('exit', (code) => failAll(new Error(`the desk reader thread exited (${code})`)))
  return {
    run(command, input) {
      if (failure) return Promise.reject(failure)
      const id = nextId++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        worker.postMessage({ id, command, input })
      })
    },
    healthy: () => failure === null,
    close: async () => {
      await worker.terminate()
    },
  }
}

/** The desk commands with the heavy reads sent to the reader thread (their input already validated). */
export function withReader(commands: DeskCommands, reader: DeskReader): DeskCommands {
  // A thread that cannot start (or died) leaves the reads in-process: slower for the gates, never none.
  let warned = false
  const inProcess = (err: unknown): void => {
    if (!warned) console.error('gatehouse: the desk reader thread failed; desk reads run in-process', err)
    warned = true
  }
  return {
    ...commands,
    'logs:query': (input) =>
      reader.run('logs:query', input).catch((err: unknown) => (inProcess(err), commands['logs:query'](input))) as unknown as ReturnType<
        DeskCommands['logs:query']
      >,
    'logs:export': (input) =>
      reader.run('logs:export', input).catch((err: unknown) => (inProcess(err), commands['logs:export'](input))) as unknown as ReturnType<
        DeskCommands['logs:export']
      >,
  }
}
