// Holds the live state outside React: subscribes to the station's event batches, loads the
// snapshot, re-syncs every minute (rolling hour, midnight, reconnects) and notifies once per batch.
// Built from the API and connection it is given (the desk's, or a test's over a real station).
import type { DeskApi, DeskEventBatch } from '../../../shared/contract'
import type { AlertView } from '../../../shared/domain'
import { deskCall, type DeskConnection } from '../api/desk-call'
import { applyBatch, fromOverview, type LiveState } from './live-state'

const RESYNC_MS = 60_000
/** Batches kept while a snapshot is in flight; beyond this the next resync catches up. */
const MAX_RECORDED = 2_000

export interface LiveStore {
  getState: () => LiveState | null
  /** When the station was lost (ms), null while the figures are fresh: every live value says "stale since". */
  staleSince: () => number | null
  /** Told of every change of the state or of staleSince; returns the unsubscribe function. */
  subscribe: (listener: () => void) => () => void
  onNewAlerts(listener: (alerts: AlertView[]) => void): () => void
  /** Fetches a fresh snapshot now (after an admin action, say). */
  resync(): Promise<void>
  start(): () => void
}

export interface LiveStoreDeps {
  api: DeskApi
  connection: DeskConnection
  /** How often the snapshot is taken again (the rolling hour, midnight). */
  resyncMs?: number
}

export function createLiveStore({ api, connection, resyncMs = RESYNC_MS }: LiveStoreDeps): LiveStore {
  const call = deskCall(api)
  let state: LiveState | null = null
  let lostAt: number | null = null
  // Batches that arrived since the snapshot was requested: replayed onto it past its watermark.
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
        // One read: the figures and the watermark that says which events they already count.
        let next = fromOverview(await call('overview:get', {}), state)
        for (const batch of recording) next = applyBatch(next, batch).state
        state = next
        // Fresh again only once a snapshot taken over a live connection is in.
        if (connection.isConnected()) lostAt = null
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

  const onConnection = (connected: boolean): void => {
    if (connected) {
      void resync() // events were missed while away
      return
    }
    // The first loss only: the retries that follow say "still disconnected" again.
    if (lostAt !== null) return
    lostAt = Date.now()
    notify()
  }

  return {
    getState: () => state,
    staleSince: () => lostAt,
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
      const offConnection = connection.subscribe(onConnection)
      const timer = setInterval(() => void resync(), resyncMs)
      void resync()
      return () => {
        unsubscribe()
        offConnection()
        clearInterval(timer)
      }
    },
  }
}
