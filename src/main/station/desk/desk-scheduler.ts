// Desk calls from browser-mode clients take turns with the receiver: one at a time, each started
// from its own macrotask (setImmediate), so gateway requests are served between any two of them
// however many frames arrive in one read. Each call's cost is bounded by the page limits of the
// contract; a connection has a bounded number of calls in flight, and the queue a bounded length.
import type { Result } from '../../../shared/contract-names'

export interface DeskSchedulerOptions {
  /** Calls one connection may have queued or running; more are answered BUSY at once. */
  perClient?: number
  /** Calls queued over all connections; more are answered BUSY at once. */
  total?: number
}

export const DEFAULT_CALLS_PER_CLIENT = 8
export const DEFAULT_CALLS_TOTAL = 256

export interface Lane {
  call(run: () => Promise<Result<unknown>>): Promise<Result<unknown>>
  /** The connection is gone: its calls still waiting are dropped, not run for nobody. */
  close(): void
}

export interface DeskScheduler {
  /** A connection's lane: its own in-flight count, the shared queue. */
  lane(): Lane
  /** Calls waiting for their turn now. */
  pending(): number
}

const gone: Result<unknown> = { ok: false, error: { code: 'DISCONNECTED', message: 'The desk disconnected' } }
const busy = (message: string): Result<unknown> => ({ ok: false, error: { code: 'BUSY', message } })

export function createDeskScheduler(options: DeskSchedulerOptions = {}): DeskScheduler {
  const perClient = options.perClient ?? DEFAULT_CALLS_PER_CLIENT
  const total = options.total ?? DEFAULT_CALLS_TOTAL
  const queue: Array<() => void> = []
  let scheduled = false

  // A turn is the synchronous part of one call (all of a read; a write up to its commit, which
  // then waits in the commit queue without holding the turn, as does a notification test).
  const pump = (): void => {
    if (scheduled || queue.length === 0) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      queue.shift()?.()
      pump()
    })
  }

  return {
    pending: () => queue.length,
    lane() {
      let inFlight = 0
      let closed = false
      const call: Lane['call'] = (run) => {
        if (closed) return Promise.resolve(gone)
        if (inFlight >= perClient) return Promise.resolve(busy(`At most ${perClient} calls at a time per desk; wait for the answers`))
        if (queue.length >= total) return Promise.resolve(busy('The station is busy with desk calls; try again in a moment'))
        inFlight++
        return new Promise((resolve) => {
          queue.push(() => {
            if (closed) {
              inFlight--
              resolve(gone)
              return
            }
            void run()
              .then(resolve, () =>
                resolve({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the station; see its log' } }),
              )
              .finally(() => inFlight--)
          })
          pump()
        })
      }
      return { call, close: () => void (closed = true) }
    },
  }
}
