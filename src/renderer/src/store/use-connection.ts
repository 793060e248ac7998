import { useSyncExternalStore } from 'react'
import { connection } from '../api/desk'

/** True while the desk can reach the station (browser mode reconnects on its own). */
export function useConnected(): boolean {
  return useSyncExternalStore(connection.subscribe, connection.isConnected)
}
