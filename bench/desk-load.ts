// Access-event latency at a fixed 2,000 req/s, quiet, then while browser-mode desks work as hard as
// they can: one exports the whole 1M-row log (page after page), ten flood log queries. Desk calls
// take turns with the receiver, in bounded pages, their reads on a low-priority thread, so the p99
// should stay near the quiet one. The desks run in a process of their own (bench/servers/desks.ts).
import type { ChildProcess } from 'node:child_process'
import { load, round, startServer, stopServer, type LoadResult } from './load'
import type { SeededLog } from './servers/station'
import type { DeskCounts } from './servers/desks'

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
  flood_errors: Record<string, number>
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

  // The desks in their own process (a browser is not the load generator).
  const { child: desks } = await startServer('desks.ts', { DESK_PORT: String(dashboard.port), DESK_TOKEN: dashboard.token })
  let counts: DeskCounts
  let busy: LoadResult
  try {
    await ask(desks, { type: 'go' }, 'going')
    busy = await load({ url: receiver, ...fixed })
    counts = await ask<DeskCounts>(desks, { type: 'stop' }, 'stopped')
  } finally {
    await stopServer(desks)
  }
  return {
    log_rows: seeded.rows,
    seed_s: round(seeded.seconds, 1),
    quiet,
    busy,
    p99_ratio: round(busy.latency.p99 / quiet.latency.p99),
    exported_rows: counts.exported_rows,
    exports_completed: counts.exports_completed,
    flood_answers: counts.flood_answers,
    flood_busy: counts.flood_busy,
    flood_errors: counts.flood_errors,
  }
}
