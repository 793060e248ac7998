// Credentials that more than one person claims within a project. While a conflict is open the
// credential is taken from every holder (attendees.credential_blocked) and each scan of it is
// denied with `credential_conflict`: the station never picks one of two people. An admin resolves
// it by naming the attendee who keeps it (or nobody); that decision is kept, so a later claim by
// the same Cvent registration is refused without reopening it.
import type { Db } from '../store/db'
import type { CredentialConflictView } from '../../../shared/domain'

export type ConflictHolder = { attendee_id: number; external_id: string } | { registration_id: string }

interface Row {
  id: number
  project_id: number
  credential: string
  holders: string
  cause: string
  raised_at: number
  resolved_at: number | null
  resolved_by: string | null
  kept_attendee_id: number | null
}

export class ConflictResolutionError extends Error {
  override name = 'ConflictResolutionError'
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export type CredentialConflicts = ReturnType<typeof createCredentialConflicts>

export function createCredentialConflicts(db: Db, projectName: (id: number) => string | null) {
  const openOf = db.prepare<[number, string], Row>(
    'SELECT * FROM credential_conflicts WHERE project_id = ? AND credential = ? AND resolved_at IS NULL',
  )
  const lastOf = db.prepare<[number, string], Row>(
    'SELECT * FROM credential_conflicts WHERE project_id = ? AND credential = ? ORDER BY id DESC LIMIT 1',
  )
  const openAll = db.prepare<[], Row>('SELECT * FROM credential_conflicts WHERE resolved_at IS NULL ORDER BY project_id, credential')
  const openInProject = db.prepare<[number], Row>(
    'SELECT * FROM credential_conflicts WHERE project_id = ? AND resolved_at IS NULL ORDER BY credential',
  )
  const insert = db.prepare<[number, string, string, string, number], Row>(
    'INSERT INTO credential_conflicts (project_id, credential, holders, cause, raised_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  )
  const setHolders = db.prepare<[string, number]>('UPDATE credential_conflicts SET holders = ? WHERE id = ?')
  const resolveRow = db.prepare<[number, string, number | null, number]>(
    'UPDATE credential_conflicts SET resolved_at = ?, resolved_by = ?, kept_attendee_id = ? WHERE id = ?',
  )
  const block = db.prepare<[number]>('UPDATE attendees SET credential_blocked = 1 WHERE id = ?')
  const unblock = db.prepare<[number]>('UPDATE attendees SET credential_blocked = 0 WHERE id = ?')
  // Usable and blocked holders, each half from its own partial index (migration 12).
  const holdersNow = db.prepare<{ project: number; credential: string }, { id: number; external_id: string }>(
    `SELECT id, external_id FROM attendees WHERE project_id = @project AND credential = @credential AND credential_blocked = 0
     UNION ALL
     SELECT id, external_id FROM attendees WHERE project_id = @project AND credential = @credential AND credential_blocked = 1
     ORDER BY id`,
  )

  const view = (r: Row): CredentialConflictView => ({
    id: r.id,
    project: projectName(r.project_id) ?? String(r.project_id),
    credential: r.credential,
    holders: (JSON.parse(r.holders) as ConflictHolder[]).map((h) =>
      'registration_id' in h ? { kind: 'cvent_registration', id: h.registration_id } : { kind: 'attendee', id: h.external_id },
    ),
    cause: r.cause,
    raised_at: iso(r.raised_at)!,
    resolved_at: iso(r.resolved_at),
    resolved_by: r.resolved_by,
  })

  return {
    /** Whether scans of this credential are denied as conflicting (the hot path's miss branch). */
    isOpen: (projectId: number, credential: string): boolean => openOf.get(projectId, credential) !== undefined,
    /** The latest conflict over a credential, open or resolved. */
    last: (projectId: number, credential: string): Row | undefined => lastOf.get(projectId, credential),
    /**
     * Opens (or extends) the conflict over a credential: every attendee holding it loses it.
     * Returns true when a conflict was newly opened. Call inside the write transaction.
     */
    raise(projectId: number, credential: string, claims: ConflictHolder[], cause: string, at: number): boolean {
      const attendees: ConflictHolder[] = holdersNow
        .all({ project: projectId, credential })
        .map((a) => ({ attendee_id: a.id, external_id: a.external_id }))
      for (const a of attendees) if ('attendee_id' in a) block.run(a.attendee_id)
      const key = (h: ConflictHolder): string => ('registration_id' in h ? `r:${h.registration_id}` : `a:${h.attendee_id}`)
      const existing = openOf.get(projectId, credential)
      const merged = new Map<string, ConflictHolder>()
      for (const h of [...(existing ? (JSON.parse(existing.holders) as ConflictHolder[]) : []), ...attendees, ...claims])
        merged.set(key(h), h)
      if (existing) {
        setHolders.run(JSON.stringify([...merged.values()]), existing.id)
        return false
      }
      insert.get(projectId, credential, JSON.stringify([...merged.values()]), cause, at)
      return true
    },
    /**
     * Ends a conflict: `keepExternalId` is the attendee who keeps the credential (null: nobody
     * does). Every other holder stays without it. Call inside the write transaction.
     */
    resolve(projectId: number, credential: string, keepExternalId: string | null, by: string, at: number): CredentialConflictView {
      const row = openOf.get(projectId, credential)
      if (!row) throw new ConflictResolutionError(`No open conflict over ${credential}`)
      let kept: number | null = null
      if (keepExternalId !== null) {
        const holder = holdersNow.all({ project: projectId, credential }).find((h) => h.external_id === keepExternalId)
        if (!holder)
          throw new ConflictResolutionError(
            `${keepExternalId} does not hold ${credential}; holders: ${view(row)
              .holders.map((h) => h.id)
              .join(', ')}`,
          )
        unblock.run(holder.id)
        kept = holder.id
      }
      resolveRow.run(at, by, kept, row.id)
      return view({ ...row, resolved_at: at, resolved_by: by, kept_attendee_id: kept })
    },
    open: (): CredentialConflictView[] => openAll.all().map(view),
    openIn: (projectId: number): CredentialConflictView[] => openInProject.all(projectId).map(view),
  }
}
