// The attendee-sync journal: what a sync applied in slices has done so far, so that a sync cut
// short is undone and stays all-or-nothing. Each slice journals, in its own commit, one row: the
// attendees it created (id ranges, to delete) and the synced fields of those it changed as they
// were (to restore). The sync's last commit deletes its journal with its log entry. A journal
// still there is a sync that never answered: undone right away after a store fault, or at the
// next start after a crash.
import type { Db } from '../store/db'
import type { AttendeeRow } from './attendees'

/** The fields a sync writes; what an undo restores (scan times and Cvent state are not the sync's). */
type SyncedFields = Pick<
  AttendeeRow,
  'id' | 'first_name' | 'last_name' | 'email' | 'attendee_type' | 'credential_value' | 'credential_blocked' | 'updated_at'
>

/** What one slice did, gathered while it runs and journalled at its end. */
export class SliceChanges {
  readonly created: number[] = []
  readonly changed: SyncedFields[] = []

  /** The sync's hook (attendees.syncRow): a created attendee (`before` null) or one about to change. */
  readonly hook = (attendeeId: number, before: AttendeeRow | null): void => {
    if (before === null) this.created.push(attendeeId)
    else
      this.changed.push({
        id: before.id,
        first_name: before.first_name,
        last_name: before.last_name,
        email: before.email,
        attendee_type: before.attendee_type,
        credential_value: before.credential_value,
        credential_blocked: before.credential_blocked,
        updated_at: before.updated_at,
      })
  }
}

/** [[first, last], …] of ids in creation order (a slice's creations are mostly one range). */
function ranges(ids: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const id of ids) {
    const last = out.at(-1)
    if (last && id === last[1] + 1) last[1] = id
    else out.push([id, id])
  }
  return out
}

export type SyncJournal = ReturnType<typeof createSyncJournal>

export function createSyncJournal(db: Db) {
  const start = db.prepare<[number, number], { id: number }>('INSERT INTO sync_runs (project_id, started_at) VALUES (?, ?) RETURNING id')
  const record = db.prepare<[number, string, string]>('INSERT INTO sync_undo (run_id, created, changed) VALUES (?, ?, ?)')
  const slices = db.prepare<[number], { created: string; changed: string }>(
    'SELECT created, changed FROM sync_undo WHERE run_id = ? ORDER BY id DESC',
  )
  const dropSlices = db.prepare<[number]>('DELETE FROM sync_undo WHERE run_id = ?')
  const dropRun = db.prepare<[number]>('DELETE FROM sync_runs WHERE id = ?')
  const runs = db.prepare<[], { id: number }>('SELECT id FROM sync_runs ORDER BY id')
  const restore = db.prepare<[string, string, string | null, string, string | null, number, number, number]>(
    `UPDATE attendees SET first_name = ?, last_name = ?, email = ?, attendee_type = ?, credential_value = ?, credential_blocked = ?, updated_at = ?
     WHERE id = ?`,
  )
  const block = db.prepare<[number]>('UPDATE attendees SET credential_blocked = 1 WHERE id = ?')
  const leaveZone = db.prepare<[number, number]>('DELETE FROM presence WHERE attendee_id BETWEEN ? AND ?')
  // An attendee the sync created that an admin put on the watch list meanwhile stays (the entry
  // points at it); the sync's retry then finds it as it would have left it.
  const remove = db.prepare<[number, number]>(
    `DELETE FROM attendees WHERE id BETWEEN ? AND ? AND source = 'sync'
       AND NOT EXISTS (SELECT 1 FROM watch_list w WHERE w.attendee_id = attendees.id)`,
  )

  /** Undoes one run, newest slice first; call inside a write transaction. Returns the attendees touched. */
  function undo(runId: number): number {
    let undone = 0
    for (const slice of slices.all(runId)) {
      // Creations first: a credential an undone change takes back can only be held by a row created since.
      for (const [first, last] of (JSON.parse(slice.created) as Array<[number, number]>).reverse()) {
        leaveZone.run(first, last)
        undone += remove.run(first, last).changes
      }
      const changed = JSON.parse(slice.changed) as SyncedFields[]
      for (const b of changed.reverse()) {
        try {
          restore.run(b.first_name, b.last_name, b.email, b.attendee_type, b.credential_value, b.credential_blocked, b.updated_at, b.id)
        } catch {
          // Its old credential is someone else's now (only another writer could do that): fail
          // closed, the credential matches nobody until an admin looks.
          block.run(b.id)
        }
        undone++
      }
    }
    dropSlices.run(runId)
    dropRun.run(runId)
    return undone
  }

  return {
    /** Starts a run; returns its id. Inside the first slice's transaction. */
    begin: (projectId: number, at: number): number => start.get(projectId, at)!.id,
    /** Journals what a slice did, in the slice's own transaction. */
    record(runId: number, slice: SliceChanges): void {
      if (slice.created.length === 0 && slice.changed.length === 0) return
      record.run(runId, JSON.stringify(ranges(slice.created)), JSON.stringify(slice.changed))
    },
    /** The sync answered: its journal goes, in the same commit as its log entry. */
    finish(runId: number): void {
      dropSlices.run(runId)
      dropRun.run(runId)
    },
    undo,
    /** Undoes every run a crash left behind. Returns the runs undone. */
    undoUnfinished(): number {
      const left = runs.all()
      for (const r of left) undo(r.id)
      return left.length
    },
  }
}
