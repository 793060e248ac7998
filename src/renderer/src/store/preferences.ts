// Operator preferences kept in localStorage: theme, muted sound, the last operator name. Every
// component using one preference sees a change at once.
import { useCallback, useSyncExternalStore } from 'react'

const PREFIX = 'gatehouse:'
const listeners = new Set<() => void>()
const memory = new Map<string, string>()

export function readPreference(key: string, fallback: string): string {
  try {
    return localStorage.getItem(PREFIX + key) ?? memory.get(key) ?? fallback
  } catch {
    return memory.get(key) ?? fallback
  }
}

export function writePreference(key: string, value: string): void {
  memory.set(key, value)
  try {
    localStorage.setItem(PREFIX + key, value)
  } catch {
    /* storage disabled: the preference lasts this session only */
  }
  listeners.forEach((l) => l())
}

const subscribe = (listener: () => void): (() => void) => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function usePreference(key: string, fallback: string): [string, (value: string) => void] {
  const value = useSyncExternalStore(subscribe, () => readPreference(key, fallback))
  const set = useCallback((next: string) => writePreference(key, next), [key])
  return [value, set]
}
