// Operator preferences kept in localStorage: theme, muted sound, the last operator name.
import { useCallback, useState } from 'react'

const PREFIX = 'gatehouse:'

export function readPreference(key: string, fallback: string): string {
  try {
    return localStorage.getItem(PREFIX + key) ?? fallback
  } catch {
    return fallback
  }
}

export function writePreference(key: string, value: string): void {
  try {
    localStorage.setItem(PREFIX + key, value)
  } catch {
    /* storage disabled: the preference lasts this session only */
  }
}

export function usePreference(key: string, fallback: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => readPreference(key, fallback))
  const set = useCallback(
    (next: string) => {
      writePreference(key, next)
      setValue(next)
    },
    [key],
  )
  return [value, set]
}
