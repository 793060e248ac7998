// Access-event latency at a fixed 2,000 req/s, quiet, then while browser-mode desks work as hard as
// they can: one exports the whole 1M-row log (page after page), ten flood log queries. Desk calls
// take turns with the receiver, in bounded pages, their reads on a low-priority thread, so the p99
// should stay near the quiet one. The desks run in a process of their own (bench/servers/desks.ts).
import type { ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
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
  /** CPU seconds used during the quiet and the busy run (Linux, from /proc; null elsewhere). */
  cpu_s: { quiet: CpuSeconds | null; busy: CpuSeconds | null }
}

/** CPU ticks of a process's threads: its main thread, others at normal priority, those at a raised nice value. */
function cpuTicks(pid: number | undefined): { main: number; normal: number; low: number } | null {
  if (pid === undefined) return null
  try {
    const ticks = { main: 0, normal: 0, low: 0 }
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const used = Number(f[11]) + Number(f[12])
      if (Number(tid) === pid) ticks.main += used
      else if (Number(f[16]) > 0) ticks.low += used
      else ticks.normal += used
    }
    return ticks
  } catch {
    return null
  }
}

export interface CpuSeconds {
  station_main: number
  station_other_threads: number
  station_low_priority_threads: number
  desks: number | null
  load_generator: number
}

/** CPU seconds each part uses while `run` runs (Linux, from /proc; null elsewhere). */
async function withCpu<T>(station: ChildProcess, desks: ChildProcess | null, run: () => Promise<T>): Promise<[T, CpuSeconds | null]> {
  const s0 = cpuTicks(station.pid)
  const d0 = desks ? cpuTicks(desks.pid) : null
  const self = process.cpuUsage()
  const value = await run()
  const s1 = cpuTicks(station.pid)
  const d1 = desks ? cpuTicks(desks.pid) : null
  const used = process.cpuUsage(self)
  if (!s0 || !s1) return [value, null]
  const sec = (t: number): number => round(t * TICK_S)
  return [
    value,
    {
      station_main: sec(s1.main - s0.main),
      station_other_threads: sec(s1.normal - s0.normal),
      station_low_priority_threads: sec(s1.low - s0.low),
      desks: d0 && d1 ? sec(d1.main + d1.normal + d1.low - d0.main - d0.normal - d0.low) : null,
      load_generator: round((used.user + used.system) / 1e6),
    },
  ]
}

const TICK_S = 0.01

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
  const [quiet, quietCpu] = await withCpu(child, null, () => load({ url: receiver, ...fixed }))

  // The desks in their own process (a browser is not the load generator).
  const { child: desks } = await startServer('desks.ts', { DESK_PORT: String(dashboard.port), DESK_TOKEN: dashboard.token })
  let counts: DeskCounts
  let busy: LoadResult
  let busyCpu: CpuSeconds | null
  try {
    await ask(desks, { type: 'go' }, 'going')
    ;[busy, busyCpu] = await withCpu(child, desks, () => load({ url: receiver, ...fixed }))
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
    cpu_s: { quiet: quietCpu, busy: busyCpu },
  }
}
