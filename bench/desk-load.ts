// Access-event latency at a fixed 2,000 req/s, quiet, then while browser-mode desks work as hard as
// they can: one exports the whole 1M-row log (page after page), ten flood log queries. Desk calls
// take turns with the receiver, in bounded pages, so the p99 should stay near the quiet one.
import WebSocket from 'ws'
import type { ChildProcess } from 'node:child_process'
import { load, round, type LoadResult } from './load'
import type { SeededLog } from './servers/station'

export interface DeskLoadFigures {
  log_rows: number
  seed_s: number
  quiet: LoadResult
  busy: LoadResult
  /** busy p99 / quiet p99 (the figure held against the target). */
  p99_ratio: number
  exported_rows: number
  /** Whole exports finished during the busy run (the exporter starts again when done). */
  exports_completed: number
  flood_answers: number
  flood_busy: number
}

interface Desk {
  call(command: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>
  close(): void
}

async function openDesk(port: number, token: string): Promise<Desk> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { maxPayload: 64 * 1024 * 1024 })
  const waiting = new Map<number, (r: never) => void>()
  let id = 0
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { type: string; id?: number; result?: never }
    if (frame.type === 'result') {
      waiting.get(frame.id!)?.(frame.result!)
      waiting.delete(frame.id!)
    }
  })
  ws.on('close', () => {
    for (const settle of waiting.values()) settle({ ok: false, error: { code: 'DISCONNECTED' } } as never)
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return {
    call: (command, input) =>
      new Promise((resolve) => {
        if (ws.readyState !== ws.OPEN) return resolve({ ok: false, error: { code: 'DISCONNECTED' } })
        const n = ++id
        waiting.set(n, resolve)
        ws.send(JSON.stringify({ type: 'call', id: n, command, input }))
      }),
    close: () => ws.close(),
  }
}

function ask<T>(child: ChildProcess, message: object, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type?: string }): void => {
      if (m.type !== type) return
      child.off('message', on)
      resolve(m as T)
    }
    child.on('message', on)
    child.send(message)
  })
}

export async function benchDeskLoad(
  receiver: string,
  child: ChildProcess,
  dashboard: { port: number; token: string },
  fixed: { connections: number; seconds: number; rate: number },
  logRows = 1_000_000,
): Promise<DeskLoadFigures> {
  const seeded = await ask<SeededLog>(child, { type: 'seed-log', rows: logRows }, 'seed-log')
  await load({ url: receiver, connections: fixed.connections, seconds: 2, rate: fixed.rate })
  const quiet = await load({ url: receiver, ...fixed })

  const exporter = await openDesk(dashboard.port, dashboard.token)
  const flooders = await Promise.all(Array.from({ length: 10 }, () => openDesk(dashboard.port, dashboard.token)))
  let running = true
  let exportedRows = 0
  let exportsCompleted = 0
  let floodAnswers = 0
  let floodBusy = 0
  const exporting = (async () => {
    while (running) {
      let before: string | undefined
      for (;;) {
        const r = await exporter.call('logs:export', { filter: { before }, format: 'csv' })
        if (!r.ok || !running) break
        const page = r.value as { rows: number; next_before: string | null }
        exportedRows += page.rows
        if (page.next_before === null) {
          exportsCompleted++
          break
        }
        before = page.next_before
      }
    }
  })()
  // Each flooder keeps 8 calls in flight at all times (the per-desk limit), of the largest page.
  const flooding = flooders.flatMap((desk) =>
    Array.from({ length: 8 }, async () => {
      while (running) {
        const r = await desk.call('logs:query', { limit: 1000, status: 200 })
        if (r.ok) floodAnswers++
        else if (r.error?.code === 'BUSY') floodBusy++
        else break
      }
    }),
  )
  const busy = await load({ url: receiver, ...fixed })
  running = false
  await Promise.all([exporting, ...flooding])
  for (const d of [exporter, ...flooders]) d.close()
  return {
    log_rows: seeded.rows,
    seed_s: round(seeded.seconds, 1),
    quiet,
    busy,
    p99_ratio: round(busy.latency.p99 / quiet.latency.p99),
    exported_rows: exportedRows,
    exports_completed: exportsCompleted,
    flood_answers: floodAnswers,
    flood_busy: floodBusy,
  }
}
