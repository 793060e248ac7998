import { useSyncExternalStore } from 'react'
import { connection } from '../api/desk'
import { useLiveStore } from './LiveProvider'

/** True while the desk can reach the station (browser mode reconnects on its own). */
export function useConnected(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.isConnected)
}

/** True when the station refused this browser's token (browser mode): the banner says what to do. */
export function useNeedsToken(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.needsToken)
}

/** When the desk lost the station (ms), or null once its figures are fresh again: what "stale since" shows. */
export function useStaleSince(): number | null {
  const store = useLiveStore()
  return useSyncExternalStore(store.subscribe, store.staleSince)
}
