import { useSyncExternalStore } from 'react'
import { connection } from '../api/desk'

/** True while the desk can reach the station (browser mode reconnects on its own). */
export function useConnected(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.isConnected)
}

/** True when the station refused this browser's token (browser mode): the banner says what to do. */
export function useNeedsToken(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.needsToken)
}

/** When the desk lost the station (ms), or null while connected: what "stale since" shows. */
export function useStaleSince(): number | null {
  return useSyncExternalStore(connection.subscribe, connection.lostAt)
}
