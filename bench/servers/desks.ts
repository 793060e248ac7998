// Browser-mode desks working as hard as they can, in their own process as a browser would be (not
// in the load generator's, whose clock would then also time the desks' JSON parsing): one exports
// the whole log page after page, ten keep 8 log queries of the largest page in flight each.
// DESK_PORT and DESK_TOKEN name the dashboard; 'go' starts them, 'stop' answers with the counts.
import WebSocket from 'ws'

export interface DeskCounts {
  type: 'stopped'
  exported_rows: number
  exports_completed: number
  flood_answers: number
  flood_busy: number
  /** Answers other than ok or BUSY (READER_UNAVAILABLE, INTERNAL, …), by code. */
  flood_errors: Record<string, number>
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
    // Parsed whole, as the renderer does.
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

const port = Number(process.env.DESK_PORT)
const token = process.env.DESK_TOKEN ?? ''
const exporter = await openDesk(port, token)
const flooders = await Promise.all(Array.from({ length: 10 }, () => openDesk(port, token)))
let running = false
const counts: DeskCounts = { type: 'stopped', exported_rows: 0, exports_completed: 0, flood_answers: 0, flood_busy: 0, flood_errors: {} }
let work: Promise<unknown> = Promise.resolve()

async function exporting(): Promise<void> {
  while (running) {
    let before: string | undefined
    for (;;) {
      const r = await exporter.call('logs:export', { filter: { before }, format: 'csv' })
      if (!r.ok || !running) break
      const page = r.value as { rows: number; next_before: string | null }
      counts.exported_rows += page.rows
      if (page.next_before === null) {
        counts.exports_completed++
        break
      }
      before = page.next_before
    }
  }
}

async function flooding(desk: Desk): Promise<void> {
  while (running) {
    const r = await desk.call('logs:query', { limit: 1000, status: 200 })
    if (r.ok) counts.flood_answers++
    else if (r.error?.code === 'BUSY') counts.flood_busy++
    else {
      const code = r.error?.code ?? 'unknown'
      counts.flood_errors[code] = (counts.flood_errors[code] ?? 0) + 1
      if (code === 'DISCONNECTED') break
    }
  }
}

process.on('message', (m: { type: 'go' | 'stop' }) => {
  if (m.type === 'go') {
    running = true
    work = Promise.all([exporting(), ...flooders.flatMap((desk) => Array.from({ length: 8 }, () => flooding(desk)))])
    process.send?.({ type: 'going' })
    return
  }
  running = false
  void work.then(() => process.send?.(counts))
})
process.on('disconnect', () => {
  for (const d of [exporter, ...flooders]) d.close()
  process.exit(0)
})
process.send?.({ port })
