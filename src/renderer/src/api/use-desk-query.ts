// The one way a view loads something from the desk API: the value, the operator-facing error,
// and a reload. It refetches when the input or any of `refreshOn` changes (a live version
// counter, usually), optionally on a timer, and never shows a value fetched for another input.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { CommandInput, CommandName, CommandOutput } from '../../../shared/contract'
import { call, errorText } from './desk'

export interface QueryOptions {
  /** Values that, when they change, mean the answer may have changed (live version counters). */
  refreshOn?: readonly unknown[]
  /** Also refetch this often while mounted (ms). */
  refreshMs?: number
  /** Wait this long after the input last changed before fetching (typing in a search box). */
  debounceMs?: number
  /** Refetch for `refreshOn` at most this often (ms); a new input is still fetched at once. */
  throttleMs?: number
  /** While a new input loads (or fails), keep showing the last answer: a page stays until the next is in. */
  keepPrevious?: boolean
  /** False: do not fetch (yet). */
  enabled?: boolean
}

export interface Query<T> {
  /** The last answer for the current input; null until it arrives. */
  data: T | null
  error: string | null
  /** Fetches again now; resolves when the answer (or the error) is in. */
  reload: () => Promise<void>
  /** Takes a fresher value returned by another command, without a round trip. */
  replace: (data: T) => void
}

export function useDeskQuery<K extends CommandName>(
  command: K,
  input: CommandInput<K>,
  options: QueryOptions = {},
): Query<CommandOutput<K>> {
  const { refreshOn = [], refreshMs, debounceMs = 0, throttleMs = 0, keepPrevious = false, enabled = true } = options
  const inputJson = JSON.stringify(input)
  const key = `${command}:${inputJson}`
  // Inputs are plain JSON (they cross to the station as such): one stable copy per distinct input.
  const stableInput = useMemo(() => JSON.parse(inputJson) as CommandInput<K>, [inputJson])
  const [state, setState] = useState<{ key: string; data: CommandOutput<K> | null; error: string | null }>({
    key: '',
    data: null,
    error: null,
  })
  // The newest request wins: an answer to an older one (slow, superseded) is dropped.
  const latest = useRef(0)

  const fetchNow = useCallback(async (): Promise<void> => {
    const ticket = ++latest.current
    try {
      const data = await call(command, stableInput)
      if (ticket === latest.current) setState({ key, data, error: null })
    } catch (err) {
      if (ticket === latest.current) setState((s) => ({ key, data: s.key === key || keepPrevious ? s.data : null, error: errorText(err) }))
    }
  }, [command, key, stableInput, keepPrevious])

  const refreshKey = JSON.stringify(refreshOn)
  const lastFetch = useRef({ key: '', at: 0 })
  useEffect(() => {
    if (!enabled) return
    const last = lastFetch.current
    const wait = throttleMs > 0 && last.key === key ? Math.max(0, last.at + throttleMs - Date.now()) : debounceMs
    const t = setTimeout(() => {
      lastFetch.current = { key, at: Date.now() }
      void fetchNow()
    }, wait)
    return () => clearTimeout(t)
  }, [fetchNow, key, refreshKey, debounceMs, throttleMs, enabled])

  useEffect(() => {
    if (!enabled || !refreshMs) return
    const timer = setInterval(() => void fetchNow(), refreshMs)
    return () => clearInterval(timer)
  }, [fetchNow, refreshMs, enabled])

  const replace = useCallback((data: CommandOutput<K>) => setState({ key, data, error: null }), [key])
  const current = state.key === key
  return {
    data: current || keepPrevious ? state.data : null,
    error: current ? state.error : null,
    reload: fetchNow,
    replace,
  }
}
