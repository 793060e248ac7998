// The live hub: one typed in-process event stream that the desk transports subscribe to.
// Events are emitted after a commit, about something already decided: a listener that throws is
// reported and skipped, and never reaches the code that emitted (a committed 200 stays a 200).
export type Listener<T> = (payload: T) => void

export interface Hub<Events extends object> {
  emit<K extends keyof Events>(event: K, payload: Events[K]): void
  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void
  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: <K extends keyof Events>(event: K, payload: Events[K]) => void): () => void
}

export type ListenerErrorLogger = (message: string, err: unknown) => void

const logToConsole: ListenerErrorLogger = (message, err) => console.error(`gatehouse: ${message}`, err)

export function createHub<Events extends object>(onListenerError: ListenerErrorLogger = logToConsole): Hub<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>()
  const any = new Set<(event: keyof Events, payload: unknown) => void>()
  const guarded = (event: keyof Events, run: () => void): void => {
    try {
      run()
    } catch (err) {
      onListenerError(`a listener of ${String(event)} threw`, err)
    }
  }
  return {
    emit(event, payload) {
      const set = listeners.get(event)
      if (set) for (const l of set) guarded(event, () => (l as Listener<typeof payload>)(payload))
      for (const l of any) guarded(event, () => l(event, payload))
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
    onAny(listener) {
      const l = listener as (event: keyof Events, payload: unknown) => void
      any.add(l)
      return () => any.delete(l)
    },
  }
}
