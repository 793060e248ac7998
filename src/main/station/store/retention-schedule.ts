// Runs retention in the background: one small batch at a time through the commit queue, so a
// backlog drains in quick steps and a request never waits behind a long delete.
import type { CommitQueue } from './commit-queue'
import type { Retention } from './retention'

/** Starts pruning; returns the stop function. */
export function scheduleRetention(queue: CommitQueue, retention: Retention, everyMs = 60_000): () => void {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const schedule = (ms: number): void => {
    if (stopped) return
    timer = setTimeout(prune, ms)
    timer.unref()
  }
  const prune = (): void => {
    queue
      .enqueue(() => retention.step())
      .then(
        (r) => schedule(r.more ? 20 : everyMs),
        () => schedule(everyMs),
      )
  }
  schedule(Math.min(everyMs, 5000))
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
