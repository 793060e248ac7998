// Attendees of a project, unique by external_id; attendee-sync applies a batch in one transaction.
import type { Db } from '../store/db'
import { syncAttendeeSchema, type AttendeeSyncPayload, type SyncRowError } from '../../../shared/webhooks'
import type { AttendeeView } from '../../../shared/domain'
import { fieldErrors } from '../validation'

export interface AttendeeRow {
  id: number
  project_id: number
  external_id: string
  first_name: string
  last_name: string
  email: string | null
  attendee_type: string
  credential_value: string | null
  credential: string
  cancelled: number
  checked_in_at: number | null
  last_scan_at: number | null
  source: string
  cvent_event_at: number | null
  created_at: number
  updated_at: number
}

export interface AttendeeFields {
  first_name: string
  last_name: string
  email: string | null
  attendee_type: string
  credential_value: string | null
}

export interface SyncResults {
  created: number
  updated: number
  skipped: number
  errors: SyncRowError[]
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type Attendees = ReturnType<typeof createAttendees>

export function createAttendees(db: Db, projectName: (id: number) => string | null) {
  const byExternal = db.prepare<[number, string], AttendeeRow>('SELECT * FROM attendees WHERE project_id = ? AND external_id = ?')
  const byCredential = db.prepare<[number, string], AttendeeRow>(
    'SELECT * FROM attendees WHERE project_id = ? AND credential = ? ORDER BY cancelled, id LIMIT 1',
  )
  const byId = db.prepare<[number], AttendeeRow>('SELECT * FROM attendees WHERE id = ?')
  const insert = db.prepare<
    [number, string, string, string, string | null, string, string | null, string, number | null, number, number, number],
    { id: number }
  >(
    `INSERT INTO attendees (project_id, external_id, first_name, last_name, email, attendee_type, credential_value, source, cvent_event_at, cancelled, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  )
  const update = db.prepare<[string, string, string | null, string, string | null, number, number]>(
    `UPDATE attendees SET first_name = ?, last_name = ?, email = ?, attendee_type = ?, credential_value = ?, updated_at = ? WHERE id = ?`,
  )
  const setScan = db.prepare<[number, number]>('UPDATE attendees SET last_scan_at = ? WHERE id = ?')

  const same = (row: AttendeeRow, f: AttendeeFields): boolean =>
    row.first_name === f.first_name &&
    row.last_name === f.last_name &&
    row.email === f.email &&
    row.attendee_type === f.attendee_type &&
    row.credential_value === f.credential_value

  function create(
    projectId: number,
    externalId: string,
    f: AttendeeFields,
    source: 'sync' | 'cvent',
    extra: { cventAt?: number; cancelled?: boolean } = {},
  ): number {
    const now = Date.now()
    return insert.get(
      projectId,
      externalId,
      f.first_name,
      f.last_name,
      f.email,
      f.attendee_type,
      f.credential_value,
      source,
      extra.cventAt ?? null,
      extra.cancelled ? 1 : 0,
      now,
      now,
    )!.id
  }

  function change(id: number, f: AttendeeFields): void {
    update.run(f.first_name, f.last_name, f.email, f.attendee_type, f.credential_value, Date.now(), id)
  }

  /** Applies a validated envelope; bad rows are reported, the rest applied. Call inside a transaction. */
  function sync(projectId: number, payload: AttendeeSyncPayload): SyncResults {
    const results: SyncResults = { created: 0, updated: 0, skipped: 0, errors: [] }
    const mode = payload.sync_mode
    payload.attendees.forEach((raw, index) => {
      const parsed = syncAttendeeSchema.safeParse(raw)
      if (!parsed.success) {
        const externalId =
          raw !== null && typeof raw === 'object' && typeof (raw as { external_id?: unknown }).external_id === 'string'
            ? (raw as { external_id: string }).external_id
            : null
        const errors =
          raw !== null && typeof raw === 'object' && !Array.isArray(raw)
            ? fieldErrors(parsed.error.issues, raw)
            : { attendee: ['Each attendee must be a JSON object'] }
        results.errors.push({ index, external_id: externalId, errors })
        return
      }
      const r = parsed.data
      const fields: AttendeeFields = {
        first_name: r.first_name,
        last_name: r.last_name,
        email: r.email ?? null,
        attendee_type: r.attendee_type ?? 'general',
        credential_value: r.credential_value ?? null,
      }
      const existing = byExternal.get(projectId, r.external_id)
      if (!existing) {
        if (mode === 'update') results.skipped++
        else {
          create(projectId, r.external_id, fields, 'sync')
          results.created++
        }
      } else if (mode === 'create' || same(existing, fields)) {
        results.skipped++
      } else {
        change(existing.id, fields)
        results.updated++
      }
    })
    return results
  }

  const view = (r: AttendeeRow): AttendeeView => ({
    id: r.id,
    project: projectName(r.project_id) ?? String(r.project_id),
    external_id: r.external_id,
    first_name: r.first_name,
    last_name: r.last_name,
    email: r.email,
    attendee_type: r.attendee_type,
    credential_value: r.credential,
    status: r.cancelled ? 'cancelled' : r.checked_in_at !== null ? 'checked_in' : 'active',
    cancelled: r.cancelled === 1,
    checked_in_at: iso(r.checked_in_at),
    last_scan_at: iso(r.last_scan_at),
    source: r.source === 'cvent' ? 'cvent' : 'sync',
    updated_at: iso(r.updated_at)!,
  })

  const searchStmt = db.prepare<{ q: string; like: string; limit: number; offset: number }, AttendeeRow>(
    `SELECT * FROM attendees
     WHERE @q = '' OR external_id = @q OR credential = @q OR first_name LIKE @like ESCAPE '\\' OR last_name LIKE @like ESCAPE '\\'
        OR (first_name || ' ' || last_name) LIKE @like ESCAPE '\\' OR email LIKE @like ESCAPE '\\'
     ORDER BY last_name, first_name, id LIMIT @limit OFFSET @offset`,
  )
  const countStmt = db.prepare<[], { n: number; cancelled: number; checked_in: number }>(
    'SELECT count(*) AS n, coalesce(sum(cancelled), 0) AS cancelled, count(checked_in_at) AS checked_in FROM attendees',
  )

  return {
    byExternal: (projectId: number, externalId: string) => byExternal.get(projectId, externalId),
    byCredential: (projectId: number, credential: string) => byCredential.get(projectId, credential),
    byId: (id: number) => byId.get(id),
    create,
    change,
    sync,
    touchScan: (id: number, at: number) => setScan.run(at, id),
    view,
    search(query = '', limit = 100, offset = 0): AttendeeView[] {
      const q = query.trim()
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      return searchStmt.all({ q, like, limit, offset }).map(view)
    },
    counts: () => countStmt.get()!,
  }
}
