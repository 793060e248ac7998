// Lockdown: an admin closes a zone, or every reader ('*'); every scan there is denied with
// `lockdown` until it is lifted. Read from the store inside each decision, so it applies to the
// very next scan, whichever process set it.
import type { Db } from '../store/db'
import type { LockdownView } from '../../../shared/venue'

export const EVERYWHERE = '*'

interface Row {
  scope: string
  by: string
  at: number
  note: string
}

export type Lockdowns = ReturnType<typeof createLockdowns>

const view = (r: Row): LockdownView => ({
  zone: r.scope === EVERYWHERE ? null : r.scope,
  by: r.by,
  at: new Date(r.at).toISOString(),
  note: r.note,
})

export function createLockdowns(db: Db) {
  const active = db.prepare<[string], Row>(
    `SELECT * FROM lockdowns WHERE scope IN ('${EVERYWHERE}', ?) ORDER BY scope = '${EVERYWHERE}' DESC LIMIT 1`,
  )
  const any = db.prepare<[], Row>(`SELECT * FROM lockdowns WHERE scope = '${EVERYWHERE}'`)
  const set = db.prepare<[string, string, number, string]>(
    'INSERT INTO lockdowns (scope, by, at, note) VALUES (?, ?, ?, ?) ON CONFLICT (scope) DO UPDATE SET by = excluded.by, at = excluded.at, note = excluded.note',
  )
  const lift = db.prepare<[string]>('DELETE FROM lockdowns WHERE scope = ?')
  const all = db.prepare<[], Row>('SELECT * FROM lockdowns ORDER BY scope')
  return {
    /** The lockdown that closes a reader in `zone` (null: a reader without a zone), if any. */
    closing: (zone: string | null): LockdownView | undefined => {
      const r = zone === null ? any.get() : active.get(zone)
      return r ? view(r) : undefined
    },
    set: (zone: string | null, by: string, note: string, at: number): void => void set.run(zone ?? EVERYWHERE, by, at, note),
    lift: (zone: string | null): boolean => lift.run(zone ?? EVERYWHERE).changes > 0,
    list: (): LockdownView[] => all.all().map(view),
  }
}
