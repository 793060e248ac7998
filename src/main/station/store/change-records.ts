// A change and its audit record in one transaction. While a desk command runs (desk/session-run.ts
// starts it with withChangeRecord), the first store write it makes also writes its record, so the
// store never holds the change without the record, whatever happens next (a crash, a kill). The
// record's "after" (the command's answer) and a failure are brought up to date when the command
// returns. The scans' own writes run outside any change and pass through untouched.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { NewAuditEntry } from './audit-log'
import type { Core } from '../core'

export interface ChangeRecord {
  entry: NewAuditEntry
  /** The record's id once a write carried it; null before (and again if that write rolled back). */
  row: number | null
}

const running = new AsyncLocalStorage<ChangeRecord>()

/** Runs `command` as one recorded change. */
export const withChangeRecord = <T>(change: ChangeRecord, command: () => Promise<T>): Promise<T> => running.run(change, command)

/** For openCore's wrapWrite: a write enqueued during a recorded change carries its record. */
export function changeRecordWrites(core: () => Core) {
  return <T>(write: () => T): (() => T) => {
    const change = running.getStore()
    if (!change) return write
    return () => {
      const value = write()
      if (change.row === null) {
        const c = core()
        change.row = c.audit.add(change.entry)
        // Undone with its write: the id would otherwise name the next record written.
        c.queue.onUndo(() => (change.row = null))
      }
      return value
    }
  }
}
