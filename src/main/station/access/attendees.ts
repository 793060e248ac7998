// Attendees of a project, unique by external_id, and one credential one person: within a project a
// credential (credential_value, or the external_id of an attendee without one) identifies at most
// one attendee — the store's unique index makes it so, and a claim on a credential someone else
// holds is refused with the holder named. attendee-sync applies a batch in one transaction.
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
  /** 1 while the credential is under a conflict (credential-conflicts.ts): it matches nobody. */
  credential_blocked: number
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

export const emptySyncResults = (): SyncResults => ({ created: 0, updated: 0, skipped: 0, errors: [] })

type SyncMode = AttendeeSyncPayload['sync_mode']
/** Told of each attendee a sync row created (`before` null) or is about to change. */
export type SyncJournalHook = (attendeeId: number, before: AttendeeRow | null) => void

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type Attendees = ReturnType<typeof createAttendees>

export interface AttendeesDeps {
  projectName: (id: number) => string | null
  /** Whether a credential is under an open conflict (then nobody may take it). */
  isConflicted: (projectId: number, credential: string) => boolean
  /** Last scans as the decisions have them (attendee-scans.ts): the column may trail them. */
  lastScans: (rows: ReadonlyArray<{ id: number; last_scan_at: number | null }>) => Map<number, number | null>
}

export function createAttendees(db: Db, deps: AttendeesDeps) {
  const { projectName } = deps
  const byExternal = db.prepare<[number, string], AttendeeRow>('SELECT * FROM attendees WHERE project_id = ? AND external_id = ?')
  // The unique index attendees_one_credential: at most one row, never a blocked one.
  const byCredential = db.prepare<[number, string], AttendeeRow>(
    'SELECT * FROM attendees WHERE project_id = ? AND credential = ? AND credential_blocked = 0',
  )
  // Any holder, usable or blocked: each half is answered by its own partial index (migration 12).
  const holderOf = db.prepare<{ project: number; credential: string; self: number }, { id: number; external_id: string }>(
    `SELECT id, external_id FROM attendees WHERE project_id = @project AND credential = @credential AND credential_blocked = 0 AND id != @self
     UNION ALL
     SELECT id, external_id FROM attendees WHERE project_id = @project AND credential = @credential AND credential_blocked = 1 AND id != @self
     LIMIT 1`,
  )
  const unblock = db.prepare<[number]>('UPDATE attendees SET credential_blocked = 0 WHERE id = ?')
  // A Cvent registration's id identifies its attendee too, whatever credential_value it has since.
  const registrationOf = db.prepare<[string, number], AttendeeRow>(
    `SELECT a.* FROM cvent_registrations r JOIN attendees a ON a.project_id = r.project_id AND a.external_id = r.registration_id
     WHERE r.registration_id = ? AND r.project_id = ? AND a.credential_blocked = 0`,
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

  /** Updates an attendee; a new credential (checked free by the caller) is a usable one. */
  function change(row: AttendeeRow, f: AttendeeFields): void {
    update.run(f.first_name, f.last_name, f.email, f.attendee_type, f.credential_value, Date.now(), row.id)
    if (row.credential_blocked === 1 && (f.credential_value ?? row.external_id) !== row.credential) unblock.run(row.id)
  }

  /**
   * Why `credential` cannot become the credential of attendee `selfId` (0 for a new one) in a
   * project, or null when it can: someone else holds it, or it is under an open conflict.
   */
  function claimProblem(projectId: number, credential: string, selfId: number): { holder: string | null; message: string } | null {
    const holder = holderOf.get({ project: projectId, credential, self: selfId })
    if (holder) return { holder: holder.external_id, message: `is already the credential of attendee ${holder.external_id}` }
    const registration = registrationOf.get(credential, projectId)
    if (registration && registration.id !== selfId) {
      return { holder: registration.external_id, message: `is the Cvent registration id of attendee ${registration.external_id}` }
    }
    if (deps.isConflicted(projectId, credential))
      return { holder: null, message: 'is under a credential conflict; an admin must resolve it first' }
    return null
  }

  /**
   * One row of a sync: validated, checked, then applied or reported in `results`. `journal` hears
   * of every attendee created (before: null) or changed (before: the row as it was). Call inside a
   * transaction.
   */
  function syncRow(projectId: number, mode: SyncMode, raw: unknown, index: number, results: SyncResults, journal?: SyncJournalHook): void {
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
    const creates = !existing && mode !== 'update'
    const changes = existing !== undefined && mode !== 'create' && !same(existing, fields)
    const credential = fields.credential_value ?? r.external_id
    if (creates || (changes && credential !== existing.credential)) {
      const problem = claimProblem(projectId, credential, existing?.id ?? 0)
      if (problem) {
        const field = fields.credential_value !== null ? 'credential_value' : 'external_id'
        results.errors.push({ index, external_id: r.external_id, errors: { [field]: [`The ${field} ${credential} ${problem.message}`] } })
        return
      }
    }
    if (creates) {
      const id = create(projectId, r.external_id, fields, 'sync')
      journal?.(id, null)
      results.created++
    } else if (changes) {
      journal?.(existing.id, existing)
      change(existing, fields)
      results.updated++
    } else {
      results.skipped++
    }
  }

  /** Applies a validated envelope in one go; bad rows are reported, the rest applied. Call inside a transaction. */
  function sync(projectId: number, payload: AttendeeSyncPayload): SyncResults {
    const results = emptySyncResults()
    payload.attendees.forEach((raw, index) => syncRow(projectId, payload.sync_mode, raw, index, results))
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
    /** Who a scanned credential is: its holder, else the Cvent registration of that id. */
    byCredential: (projectId: number, credential: string) =>
      byCredential.get(projectId, credential) ?? registrationOf.get(credential, projectId),
    byId: (id: number) => byId.get(id),
    create,
    change,
    claimProblem,
    sync,
    syncRow,
    view,
    search(query = '', limit = 100, offset = 0): AttendeeView[] {
      const q = query.trim()
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      const rows = searchStmt.all({ q, like, limit, offset })
      const scans = deps.lastScans(rows)
      return rows.map((r) => view({ ...r, last_scan_at: scans.get(r.id) ?? null }))
    },
    counts: () => countStmt.get()!,
  }
}
