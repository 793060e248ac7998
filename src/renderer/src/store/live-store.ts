// Holds the live state outside React: subscribes to the station's event batches, loads the
// snapshot, re-syncs every minute (rolling hour, midnight, reconnects) and notifies once per batch.
import type { DeskApi, DeskEventBatch } from '../../../shared/contract'
import type { AlertView } from '../../../shared/domain'
import { logIdNumber } from '../../../shared/log'
import { call, connection } from '../api/desk'
import { applyBatch, fromOverview, type LiveState } from './live-state'

const RESYNC_MS = 60_000
/** Batches kept while a snapshot is in flight; beyond this the next resync catches up. */
const MAX_RECORDED = 2_000

export interface LiveStore {
  getState(): LiveState | null
  subscribe(listener: () => void): () => void
  onNewAlerts(listener: (alerts: AlertView[]) => void): () => void
  /** Fetches a fresh snapshot now (after an admin action, say). */
  resync(): Promise<void>
  start(): () => void
}

export function createLiveStore(api: DeskApi): LiveStore {
  let state: LiveState | null = null
  // Batches that arrived since the snapshot was requested: replayed onto it (ids dedupe them).
  let recording: DeskEventBatch[] | null = null
  let resyncing: Promise<void> | null = null
  const listeners = new Set<() => void>()
  const alertListeners = new Set<(alerts: AlertView[]) => void>()
  const notify = (): void => listeners.forEach((l) => l())

  const onBatch = (batch: DeskEventBatch): void => {
    if (recording && recording.length < MAX_RECORDED) recording.push(batch)
    if (!state) return
    const result = applyBatch(state, batch)
    state = result.state
    notify()
    if (result.newAlerts.length > 0) alertListeners.forEach((l) => l(result.newAlerts))
  }

  const resync = (): Promise<void> => {
    resyncing ??= (async () => {
      recording = []
      try {
        // The log's newest id first: entries logged after it are counted from their events.
        const newestLog = await call('logs:query', { limit: 1 })
        const overview = await call('overview:get', {})
        let next = fromOverview(overview, newestLog[0] ? logIdNumber(newestLog[0].id) : 0, state)
        for (const batch of recording) next = applyBatch(next, batch).state
        state = next
        notify()
      } catch {
        // Disconnected or the store is failing: keep showing what we have; the next resync retries.
      } finally {
        recording = null
        resyncing = null
      }
    })()
    return resyncing
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    onNewAlerts(listener) {
      alertListeners.add(listener)
      return () => alertListeners.delete(listener)
    },
    resync,
    start() {
      const unsubscribe = api.subscribe(onBatch)
      const offConnection = connection.subscribe((connected) => {
        if (connected) void resync() // events were missed while away
      })
      const timer = setInterval(() => void resync(), RESYNC_MS)
      void resync()
      return () => {
        unsubscribe()
        offConnection()
        clearInterval(timer)
      }
    },
  }
}
