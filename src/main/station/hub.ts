// The live hub: one typed in-process event stream that the desk transports subscribe to.
export type Listener<T> = (payload: T) => void

export interface Hub<Events extends object> {
  emit<K extends keyof Events>(event: K, payload: Events[K]): void
  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void
  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: <K extends keyof Events>(event: K, payload: Events[K]) => void): () => void
}

export function createHub<Events extends object>(): Hub<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>()
  const any = new Set<(event: keyof Events, payload: unknown) => void>()
  return {
    emit(event, payload) {
      const set = listeners.get(event)
      if (set) for (const l of set) (l as Listener<typeof payload>)(payload)
      for (const l of any) l(event, payload)
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as Listener<never>)
      return () => set.delete(listener as Listener<never>)
    },
    onAny(listener) {
      const l = listener as (event: keyof Events, payload: unknown) => void
      any.add(l)
      return () => any.delete(l)
    },
  }
}
