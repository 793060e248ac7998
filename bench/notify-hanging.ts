// Access-event latency at a fixed 2,000 req/s while alerts change ten times a second, first with no
// notification target, then with one that accepts every connection and never answers: the
// outbox, its sender and the hanging socket must leave the receiver's p99 where it was.
import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ChildProcess } from 'node:child_process'
import { load, round, type LoadResult } from './load'
import { post } from './station-setup'
import type { NotifyStats } from './servers/station'

export interface HangingFigures {
  without: LoadResult
  hanging: LoadResult
  /** p99 with the hanging target / p99 without. */
  p99_ratio: number
  alert_changes_per_s: number
  target_requests_held: number
  stats: NotifyStats
}

function ask<T>(child: ChildProcess, message: unknown, type: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { type?: string }): void => {
      if (m.type !== type) return
      child.off('message', on)
      resolve(m as T)
    }
    child.on('message', on)
    child.send(message as object)
  })
}

/** A gateway going offline and back, over and over: each report raises or resolves an alert. */
function churnAlerts(base: string, perSecond: number): { stop: () => Promise<number> } {
  let changes = 0
  let running = true
  let n = 0
  const loop = (async () => {
    while (running) {
      const body = Buffer.from(JSON.stringify({ gateway_id: 'GW-CHURN', status: n++ % 2 === 0 ? 'offline' : 'online' }))
      const r = await post(base, 'mqtt-gateway-status', body)
      if (r.status === 200) changes++
      await new Promise((res) => setTimeout(res, 1000 / perSecond))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return changes
    },
  }
}

export async function benchHangingTarget(
  base: string,
  child: ChildProcess,
  fixed: { connections: number; seconds: number; rate: number },
): Promise<HangingFigures> {
  const held = new Set<Socket>()
  let requests = 0
  const hanging = http.createServer((req) => {
    requests++
    held.add(req.socket)
    req.resume()
  })
  await new Promise<void>((res) => hanging.listen(0, '127.0.0.1', () => res()))
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hang`
  try {
    const churn1 = churnAlerts(base, 10)
    const without = await load({ url: base, ...fixed })
    const changes1 = await churn1.stop()

    await ask(child, { type: 'notify-add', url }, 'notify-add')
    const churn2 = churnAlerts(base, 10)
    const withHanging = await load({ url: base, ...fixed })
    const changes2 = await churn2.stop()
    const stats = await ask<NotifyStats>(child, { type: 'notify-stats' }, 'notify-stats')
    return {
      without,
      hanging: withHanging,
      p99_ratio: round(withHanging.latency.p99 / without.latency.p99),
      alert_changes_per_s: round((changes1 + changes2) / (2 * fixed.seconds), 1),
      target_requests_held: requests,
      stats,
    }
  } finally {
    for (const s of held) s.destroy()
    await new Promise<void>((res) => hanging.close(() => res()))
  }
}
