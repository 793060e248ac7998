import { useSyncExternalStore } from 'react'
import { connection } from '../api/desk'

/** True while the desk can reach the station (browser mode reconnects on its own). */
export function useConnected(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.isConnected)
}

/** When the desk lost the station (ms), or null while connected: what "stale since" shows. */
export function useStaleSince(): number | null {
  return useSyncExternalStore(connection.subscribe, connection.lostAt)
}
