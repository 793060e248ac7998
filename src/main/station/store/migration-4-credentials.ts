// Migration 4: one credential, one person. Credentials (and external ids) are stored canonical; a
// credential that two attendees of one project hold is taken from both and recorded as a conflict
// (every scan of it is denied until an admin says whose it is: never pick one of two people); the
// store then refuses such duplicates for good with a unique index. Also: each Cvent registration
// remembers its project; decisions may be re-decided for a retried scan (retry_of); log entries get
// the "clock ahead" label; and timestamps a wrong clock put far in the future are brought back to
// now, so they can no longer make every true event look older.
import type { Database } from 'better-sqlite3'
import { canonical } from '../../../shared/canonical-text'

/** How far ahead a stored body timestamp may be before this migration takes it for a wrong clock. */
const FUTURE_SLACK_MS = 300_000

interface AttendeeRow {
  id: number
  project_id: number
  external_id: string
  credential_value: string | null
  source: string
  cancelled: number
}

export function migrateCredentials(db: Database, now = Date.now()): void {
  db.exec(`
    ALTER TABLE attendees ADD COLUMN credential_blocked INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE credential_conflicts (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects (id),
      credential TEXT NOT NULL,
      -- JSON array: {"attendee_id","external_id"} per attendee holding it, {"registration_id"} for a Cvent claim
      holders TEXT NOT NULL,
      cause TEXT NOT NULL,
      raised_at INTEGER NOT NULL,
      resolved_at INTEGER,
      resolved_by TEXT,
      kept_attendee_id INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX credential_conflicts_open ON credential_conflicts (project_id, credential) WHERE resolved_at IS NULL;
    CREATE INDEX credential_conflicts_credential ON credential_conflicts (project_id, credential);

    CREATE TABLE cvent_registrations (
      registration_id TEXT PRIMARY KEY,
      project_id INTEGER NOT NULL REFERENCES projects (id),
      created_at INTEGER NOT NULL
    ) STRICT;

    ALTER TABLE decisions ADD COLUMN retry_of INTEGER;
    DROP INDEX decisions_retry;
    CREATE UNIQUE INDEX decisions_retry ON decisions (reader_id, credential_value, scanned_at)
      WHERE scanned_at IS NOT NULL AND retry_of IS NULL;

    ALTER TABLE webhook_log ADD COLUMN clock_ahead INTEGER NOT NULL DEFAULT 0;
  `)

  // Canonical external ids and credential values. An external id whose canonical form another
  // attendee of the project already has keeps its old spelling: both end up in one conflict below.
  const rows = db.prepare<[], AttendeeRow>('SELECT id, project_id, external_id, credential_value, source, cancelled FROM attendees').all()
  const setExternal = db.prepare<[string, number]>('UPDATE attendees SET external_id = ? WHERE id = ?')
  const setCredential = db.prepare<[string | null, number]>('UPDATE attendees SET credential_value = ? WHERE id = ?')
  const takenExternal = new Set(rows.map((r) => `${r.project_id}\u0000${r.external_id}`))
  for (const r of rows) {
    const ext = canonical(r.external_id)
    if (ext !== r.external_id && ext !== '' && !takenExternal.has(`${r.project_id}\u0000${ext}`)) {
      setExternal.run(ext, r.id)
      takenExternal.delete(`${r.project_id}\u0000${r.external_id}`)
      takenExternal.add(`${r.project_id}\u0000${ext}`)
    }
    if (r.credential_value !== null) {
      const cred = canonical(r.credential_value)
      if (cred !== r.credential_value) setCredential.run(cred === '' ? null : cred, r.id)
    }
  }

  // Credentials held by more than one attendee of a project (compared canonical): blocked for all.
  const holders = new Map<string, Array<{ attendee_id: number; external_id: string }>>()
  for (const r of rows) {
    const credential = canonical(r.credential_value ?? r.external_id) || canonical(r.external_id)
    const key = `${r.project_id}\u0000${credential}`
    const list = holders.get(key) ?? []
    list.push({ attendee_id: r.id, external_id: canonical(r.external_id) })
    holders.set(key, list)
  }
  const block = db.prepare<[number]>('UPDATE attendees SET credential_blocked = 1 WHERE id = ?')
  const record = db.prepare<[number, string, string, number]>(
    "INSERT INTO credential_conflicts (project_id, credential, holders, cause, raised_at) VALUES (?, ?, ?, 'migration', ?)",
  )
  for (const [key, list] of holders) {
    if (list.length < 2) continue
    const [project, credential] = key.split('\u0000') as [string, string]
    for (const h of list) block.run(h.attendee_id)
    record.run(Number(project), credential, JSON.stringify(list), now)
  }
  db.exec(`CREATE UNIQUE INDEX attendees_one_credential ON attendees (project_id, credential) WHERE credential_blocked = 0`)

  // A registration belongs to the project it was created in (the earliest copy). An older version
  // applied later events to whatever the Cvent project was then, leaving copies in other projects:
  // if any copy is cancelled, every copy is (fail closed), so the original cannot stay active.
  db.exec(`
    INSERT OR IGNORE INTO cvent_registrations (registration_id, project_id, created_at)
      SELECT external_id, project_id, created_at FROM attendees WHERE source = 'cvent' ORDER BY created_at, id;
    UPDATE attendees SET cancelled = 1
      WHERE source = 'cvent' AND cancelled = 0
        AND external_id IN (SELECT external_id FROM attendees WHERE source = 'cvent' AND cancelled = 1);
  `)

  // Far-future timestamps (a wrong clock, or a forged event) are brought back to now.
  const future = now + FUTURE_SLACK_MS
  const clamp = (table: string, column: string): void => {
    db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} > ?`).run(now, future)
  }
  clamp('attendees', 'cvent_event_at')
  clamp('attendees', 'last_scan_at')
  clamp('gateways', 'reported_at')
  clamp('readers', 'reported_at')
  clamp('readers', 'last_scan')
  clamp('cvent_events', 'event_at')
}
