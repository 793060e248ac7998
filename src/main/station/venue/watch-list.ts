// The watch list: credentials (in any project) or attendees flagged *blocked* (lost, stolen,
// banned: every scan denied) or *vip* (granted as usual, and the desk told at once). A flag applies
// to the very next scan: it is read from the store inside the decision's own transaction.
import type { Db } from '../store/db'
import type { WatchEntryView, WatchKind } from '../../../shared/venue'

interface Row {
  id: number
  credential: string | null
  attendee_id: number | null
  kind: string
  note: string
  until_at: number | null
  created_by: string
  created_at: number
  removed_at: number | null
  removed_by: string | null
}

export interface WatchHit {
  id: number
  kind: WatchKind
  note: string
}

export class WatchListError extends Error {
  override name = 'WatchListError'
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type WatchList = ReturnType<typeof createWatchList>

export function createWatchList(db: Db, attendeeName: (id: number) => { external_id: string; name: string } | null) {
  // blocked before vip: one blocked flag is enough to deny, whatever else is flagged.
  const ORDER = "ORDER BY kind = 'blocked' DESC, id LIMIT 1"
  const byCredential = db.prepare<[string, number], Row>(
    `SELECT * FROM watch_list WHERE credential = ? AND removed_at IS NULL AND (until_at IS NULL OR until_at > ?) ${ORDER}`,
  )
  const byAttendee = db.prepare<[number, number], Row>(
    `SELECT * FROM watch_list WHERE attendee_id = ? AND removed_at IS NULL AND (until_at IS NULL OR until_at > ?) ${ORDER}`,
  )
  const insert = db.prepare<[string | null, number | null, string, string, number | null, string, number], Row>(
    'INSERT INTO watch_list (credential, attendee_id, kind, note, until_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
  )
  const remove = db.prepare<[number, string, number], Row>(
    'UPDATE watch_list SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL RETURNING *',
  )
  const active = db.prepare<[number], Row>(
    'SELECT * FROM watch_list WHERE removed_at IS NULL AND (until_at IS NULL OR until_at > ?) ORDER BY kind, id',
  )

  const hit = (r: Row | undefined): WatchHit | undefined => (r ? { id: r.id, kind: r.kind as WatchKind, note: r.note } : undefined)
  const view = (r: Row): WatchEntryView => {
    const who = r.attendee_id === null ? null : attendeeName(r.attendee_id)
    return {
      id: r.id,
      credential: r.credential,
      attendee: r.attendee_id === null ? null : { id: r.attendee_id, external_id: who?.external_id ?? '?', name: who?.name ?? '?' },
      kind: r.kind as WatchKind,
      note: r.note,
      until: iso(r.until_at),
      created_by: r.created_by,
      created_at: iso(r.created_at)!,
    }
  }

  return {
    /** The flag on a scanned credential, before anyone is looked up (a banned badge is banned even if unknown). */
    forCredential: (credential: string, now: number): WatchHit | undefined => hit(byCredential.get(credential, now)),
    forAttendee: (attendeeId: number, now: number): WatchHit | undefined => hit(byAttendee.get(attendeeId, now)),
    add(
      target: { credential: string } | { attendee_id: number },
      kind: WatchKind,
      note: string,
      until: number | null,
      by: string,
      now: number,
    ): WatchEntryView {
      if (until !== null && until <= now) throw new WatchListError('--until must be in the future')
      const credential = 'credential' in target ? target.credential : null
      const attendee = 'attendee_id' in target ? target.attendee_id : null
      return view(insert.get(credential, attendee, kind, note, until, by, now)!)
    },
    remove(id: number, by: string, now: number): WatchEntryView {
      const row = remove.get(now, by, id)
      if (!row) throw new WatchListError(`No watch-list entry ${id} (or it was removed already)`)
      return view(row)
    },
    list: (now = Date.now()): WatchEntryView[] => active.all(now).map(view),
  }
}
