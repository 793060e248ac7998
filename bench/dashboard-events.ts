// Live events delivered to a browser-mode dashboard client while the station is under load: one
// WebSocket client counting the events in the batched frames, checked against what was decided.
import WebSocket from 'ws'
import { performance } from 'node:perf_hooks'
import { load, round, type LoadResult } from './load'

export interface EventFigures {
  seconds: number
  /** Every event received, per second of load (the figure held against the target). */
  events_per_s: number
  decided_per_s: number
  frames: number
  by_event: Record<string, number>
  /** access:decided events received vs decisions the station made in the window: nothing dropped. */
  decided_received: number
  decided_at_station: number
  load: LoadResult
}

interface Frame {
  type: string
  events?: Array<{ event: string }>
}

export async function benchDashboardEvents(
  receiver: string,
  dashboard: { port: number; token: string },
  decisionsSince: (since: number) => Promise<number>,
  seconds = 5,
): Promise<EventFigures> {
  const ws = new WebSocket(`ws://127.0.0.1:${dashboard.port}/ws?token=${dashboard.token}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const byEvent: Record<string, number> = {}
  let frames = 0
  let lastFrame = 0
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame
    if (frame.type !== 'events' || !frame.events) return
    frames++
    lastFrame = performance.now()
    for (const e of frame.events) byEvent[e.event] = (byEvent[e.event] ?? 0) + 1
  })
  const since = Date.now()
  const started = performance.now()
  const result = await load({ url: receiver, connections: 32, seconds })
  // The last batch leaves ~100 ms after the last decision.
  await new Promise((r) => setTimeout(r, 400))
  ws.close()
  const elapsed = Math.max(seconds, (lastFrame - started) / 1000)
  const total = Object.values(byEvent).reduce((a, b) => a + b, 0)
  const decided = byEvent['access:decided'] ?? 0
  return {
    seconds: round(elapsed, 2),
    events_per_s: round(total / elapsed, 0),
    decided_per_s: round(decided / elapsed, 0),
    frames,
    by_event: byEvent,
    decided_received: decided,
    decided_at_station: await decisionsSince(since),
    load: result,
  }
}
