// An attendee's last scan (attendees.last_scan_at), written behind the scans. Writing it with
// each scan put every scan on a random page of the attendees table, which with an fsynced
// commit was the costliest part of a scan's write. The decisions already hold every scan, so the
// column is a summary that may trail them: a scan leaves its attendee's mark in memory, and
// flush() writes the oldest marks a few hundred at a time (the station: about 300 a second),
// so under sustained load the column trails further and catches up when it is quieter.
//
// `attendee_scans_from` (a setting, written in the same commits) is the first decision whose
// scan may not be in the column yet. The station lays its marks over the column; another process
// (the CLI) lays the decisions from there (lastScans), so what either shows is never behind; after
// a crash the next start writes them into the column (rebuild).
import type { Db } from '../store/db'
import type { SettingsStore } from '../store/settings'

const FROM = 'attendee_scans_from'

interface Mark {
  at: number
  /** The first decision whose scan this mark holds (marks are kept in the order of it). */
  firstId: number
}

export interface AttendeeScansOptions {
  settings: SettingsStore
  /** Registers how to put memory back if the running write does not commit. */
  onUndo: (undo: () => void) => void
  skewMs: number
}

export type AttendeeScans = ReturnType<typeof createAttendeeScans>

export function createAttendeeScans(db: Db, options: AttendeeScansOptions) {
  const { settings } = options
  // A scan's time as touchScan knew it: the scan's own timestamp, unless too far ahead of arrival.
  const SCAN_AT = `CASE WHEN scanned_at IS NULL OR scanned_at - decided_at > ${Math.floor(options.skewMs)} THEN decided_at ELSE scanned_at END`
  const setScan = db.prepare<[number, number]>('UPDATE attendees SET last_scan_at = max(coalesce(last_scan_at, 0), ?) WHERE id = ?')
  const since = db.prepare<[number, string], { attendee_id: number; at: number }>(
    `SELECT attendee_id, max(${SCAN_AT}) AS at FROM decisions
     WHERE id >= ? AND retry_of IS NULL AND attendee_id IN (SELECT value FROM json_each(?)) GROUP BY attendee_id`,
  )
  const rebuildStmt = db.prepare<[number]>(
    `UPDATE attendees SET last_scan_at = max(coalesce(last_scan_at, 0), d.at)
     FROM (SELECT attendee_id, max(${SCAN_AT}) AS at FROM decisions
           WHERE id >= ? AND retry_of IS NULL AND attendee_id IS NOT NULL GROUP BY attendee_id) AS d
     WHERE attendees.id = d.attendee_id`,
  )
  const marks = new Map<number, Mark>()
  /** What the setting says now (null: the column holds every scan). */
  let from: number | null | undefined
  /** This process started the marks (rebuild): they hold every scan the column lacks. */
  let owner = false

  const storedFrom = (): number | null => settings.get<number | null>(FROM, null)
  function setFrom(value: number | null): void {
    const before = from
    from = value
    settings.set(FROM, value)
    options.onUndo(() => (from = before))
  }

  return {
    /** A fresh scan of the attendee, decided as `decisionId` (inside the write that stored it). */
    scanned(attendeeId: number, at: number, decisionId: number): void {
      from ??= storedFrom()
      const before = marks.get(attendeeId)
      if (before) {
        if (at <= before.at) return
        marks.set(attendeeId, { at, firstId: before.firstId })
      } else {
        marks.set(attendeeId, { at, firstId: decisionId })
      }
      options.onUndo(() => (before ? marks.set(attendeeId, before) : marks.delete(attendeeId)))
      if (from === null) setFrom(decisionId)
    },
    pending: (): number => marks.size,
    /** Writes up to `rows` of the oldest marks (inside the caller's transaction). */
    flush(rows: number): number {
      let n = 0
      const done: Array<[number, Mark]> = []
      for (const [id, m] of marks) {
        if (n++ >= rows) break
        setScan.run(m.at, id)
        done.push([id, m])
      }
      for (const [id] of done) marks.delete(id)
      options.onUndo(() => {
        // Put back in front, in their order, ahead of what came since.
        const rest = [...marks]
        marks.clear()
        for (const [id, m] of [...done, ...rest]) marks.set(id, m)
      })
      const next = marks.values().next()
      setFrom(next.done ? null : next.value.firstId)
      return done.length
    },
    /** Each attendee's last scan, the column's value with the scans it does not hold yet laid over. */
    lastScans(rows: ReadonlyArray<{ id: number; last_scan_at: number | null }>): Map<number, number | null> {
      const out = new Map(rows.map((r) => [r.id, r.last_scan_at]))
      if (owner) {
        for (const r of rows) {
          const m = marks.get(r.id)
          if (m) out.set(r.id, Math.max(r.last_scan_at ?? 0, m.at))
        }
        return out
      }
      // Another process: the decisions since the column's mark (the station's memory is not here).
      const first = storedFrom()
      if (first === null || rows.length === 0) return out
      for (const d of since.all(first, JSON.stringify(rows.map((r) => r.id))))
        out.set(d.attendee_id, Math.max(out.get(d.attendee_id) ?? 0, d.at))
      return out
    },
    /** At start: whatever the last run left unwritten (a crash) goes into the column now. */
    rebuild(): void {
      const first = storedFrom()
      marks.clear()
      owner = true
      from = null
      // Not rebuilt after all (a store fault at start): read like another process until it is.
      options.onUndo(() => {
        owner = false
        from = undefined
      })
      if (first === null) return
      rebuildStmt.run(first)
      settings.set(FROM, null)
    },
  }
}
