// Batches hub events for a transport: at most one flush per interval (~100 ms), so the
// renderer never renders once per event. Nothing is dropped: counts stay exact.
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import type { DeskEvent, DeskEventBatch } from '../../../shared/contract'

export function batchEvents(hub: Hub<StationEvents>, sink: (batch: DeskEventBatch) => void, intervalMs = 100): () => void {
  let pending: DeskEvent[] = []
  let timer: NodeJS.Timeout | null = null
  const flush = (): void => {
    timer = null
    if (pending.length === 0) return
    const batch = pending
    pending = []
    sink(batch)
  }
  const unsubscribe = hub.onAny((event, payload) => {
    pending.push({ event, payload } as DeskEvent)
    timer ??= setTimeout(flush, intervalMs)
  })
  return () => {
    unsubscribe()
    if (timer) clearTimeout(timer)
    flush()
  }
}

export interface EventFanout {
  /** A client's share of the batches: from the next event on; returns its leave function. */
  join(sink: (frame: Buffer) => void): () => void
}

/**
 * Browser mode's batches for every WebSocket client at once: one hub subscription, one timer, and
 * each batch's frame serialised and encoded once, the same bytes written to every client (with
 * one desk per screen, per-client batching made the receiver's loop stringify every event N times).
 * A client that joins mid-batch gets only the events after it joined, as with its own batcher.
 */
export function fanOutEvents(hub: Hub<StationEvents>, frameOf: (batch: DeskEventBatch) => string, intervalMs = 100): EventFanout {
  const members = new Map<symbol, { sink: (frame: Buffer) => void; from: number }>()
  let pending: DeskEvent[] = []
  let timer: NodeJS.Timeout | null = null
  let unsubscribe: (() => void) | null = null
  const flush = (): void => {
    timer = null
    const batch = pending
    pending = []
    if (batch.length === 0) return
    let whole: Buffer | null = null
    for (const member of members.values()) {
      const from = member.from
      member.from = 0
      if (from >= batch.length) continue
      member.sink(from === 0 ? (whole ??= Buffer.from(frameOf(batch))) : Buffer.from(frameOf(batch.slice(from))))
    }
  }
  return {
    join(sink) {
      const key = Symbol('client')
      members.set(key, { sink, from: pending.length })
      unsubscribe ??= hub.onAny((event, payload) => {
        pending.push({ event, payload } as DeskEvent)
        timer ??= setTimeout(flush, intervalMs)
      })
      return () => {
        members.delete(key)
        if (members.size > 0) return
        unsubscribe?.()
        unsubscribe = null
        if (timer) clearTimeout(timer)
        timer = null
        pending = []
      }
    },
  }
}
