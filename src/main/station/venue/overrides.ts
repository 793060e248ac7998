// Overrides an officer grants: "admit once" — a credential at a reader, or the next scan at a
// reader whoever it is — within some minutes. An override is used up by the first scan it turns
// into a grant, and only for checks an officer may forgive (never a block, a lockdown or a
// disabled reader; see decision-rules.ts).
import type { Db } from '../store/db'
import type { OverrideView } from '../../../shared/venue'

interface Row {
  id: number
  reader_id: string
  credential: string | null
  expires_at: number
  note: string
  created_by: string
  created_at: number
  used_at: number | null
  used_by_decision: number | null
  cancelled_at: number | null
}

export type Overrides = ReturnType<typeof createOverrides>

const view = (r: Row): OverrideView => ({
  id: r.id,
  reader_id: r.reader_id,
  credential: r.credential,
  expires_at: new Date(r.expires_at).toISOString(),
  note: r.note,
  created_by: r.created_by,
  created_at: new Date(r.created_at).toISOString(),
})

export function createOverrides(db: Db) {
  // One for this credential first, then one for whoever comes next.
  const find = db.prepare<[string, number, string], Row>(
    `SELECT * FROM overrides WHERE reader_id = ? AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > ?
       AND (credential = ? OR credential IS NULL) ORDER BY credential IS NULL, id LIMIT 1`,
  )
  const insert = db.prepare<[string, string | null, number, string, string, number], Row>(
    'INSERT INTO overrides (reader_id, credential, expires_at, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
  )
  const use = db.prepare<[number, number, number]>('UPDATE overrides SET used_at = ?, used_by_decision = ? WHERE id = ?')
  const cancel = db.prepare<[number, number], Row>(
    'UPDATE overrides SET cancelled_at = ? WHERE id = ? AND used_at IS NULL AND cancelled_at IS NULL RETURNING *',
  )
  const open = db.prepare<[number], Row>(
    'SELECT * FROM overrides WHERE used_at IS NULL AND cancelled_at IS NULL AND expires_at > ? ORDER BY id',
  )
  return {
    find: (readerId: string, credential: string, now: number): { id: number; by: string } | undefined => {
      const r = find.get(readerId, now, credential)
      return r ? { id: r.id, by: r.created_by } : undefined
    },
    use: (id: number, decisionId: number, at: number): void => void use.run(at, decisionId, id),
    add(readerId: string, credential: string | null, minutes: number, note: string, by: string, now: number): OverrideView {
      return view(insert.get(readerId, credential, now + minutes * 60_000, note, by, now)!)
    },
    cancel: (id: number, now: number): OverrideView | undefined => {
      const r = cancel.get(now, id)
      return r ? view(r) : undefined
    },
    open: (now = Date.now()): OverrideView[] => open.all(now).map(view),
  }
}
