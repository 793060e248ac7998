// Runs async jobs one after another, in arrival order: while a sync is applied in slices (each
// its own commit), the other writers of attendees (Cvent, another sync) wait their turn instead of
// interleaving with it, so undoing a sync cut short can never undo someone else's change.
export interface OneAtATime {
  run<T>(job: () => Promise<T>): Promise<T>
  /** Jobs running or waiting. */
  busy(): number
}

export function createOneAtATime(): OneAtATime {
  let tail: Promise<unknown> = Promise.resolve()
  let pending = 0
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      pending++
      const result = tail.then(job)
      // The next job waits for this one however it ends.
      tail = result.then(
        () => undefined,
        () => undefined,
      )
      return result.finally(() => pending--)
    },
    busy: () => pending,
  }
}
