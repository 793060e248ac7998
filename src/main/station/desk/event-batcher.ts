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
