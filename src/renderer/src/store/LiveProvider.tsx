// Shares one live store (one subscription to the station) with every view.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { connection, desk } from '../api/desk'
import { createLiveStore, type LiveStore } from './live-store'
import type { LiveState } from './live-state'

const LiveContext = createContext<LiveStore | null>(null)

export function LiveProvider({ children }: { children: ReactNode }): React.JSX.Element {
  const [store] = useState(() => createLiveStore({ api: desk, connection }))
  useEffect(() => store.start(), [store])
  return <LiveContext.Provider value={store}>{children}</LiveContext.Provider>
}

export function useLiveStore(): LiveStore {
  const store = useContext(LiveContext)
  if (!store) throw new Error('useLiveStore outside <LiveProvider>')
  return store
}

/**
 * One slice of the live state; re-renders only when that slice changes. The selector must return
 * a part of the state as is (not a new object), or null before the first snapshot.
 */
export function useLive<T>(select: (state: LiveState) => T): T | null {
  const store = useLiveStore()
  return useSyncExternalStore(
    (listener) => store.subscribe(listener),
    () => {
      const state = store.getState()
      return state ? select(state) : null
    },
  )
}
