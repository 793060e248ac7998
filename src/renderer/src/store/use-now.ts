// One shared clock for "last heard 12 s ago": every subscriber re-renders once a second together.
import { useSyncExternalStore } from 'react'

let now = Date.now()
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setInterval> | null = null

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  timer ??= setInterval(() => {
    now = Date.now()
    listeners.forEach((l) => l())
  }, 1000)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  }
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now)
}

/** The current minute (epoch ms / 60 000): re-renders once a minute, not every second. */
export function useMinute(): number {
  return useSyncExternalStore(subscribe, () => Math.floor(now / 60_000))
}
