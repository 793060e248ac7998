// Cvent events: registrations become attendees, keyed by registration_id, in the project the
// registration was created in (kept for it, whatever the Cvent project is later). Idempotent by
// event_id (kept in the store, so also across restarts). Ordering fails closed:
// - a cancellation always applies, whatever its timestamp (a cancellation that arrived last
//   must never leave the attendee active);
// - any other event older than the last one applied changes nothing (on a tie, a cancellation
//   stands); a check-in is still recorded, being a fact;
// - a timestamp from a clock far ahead orders as its arrival time (clock.ts).
// A registration whose id is already another attendee's credential is refused, and the credential
// is denied to both until an admin resolves the conflict: the station never picks one of two people.
import type { Db } from '../store/db'
import type { CventEventPayload } from '../../../shared/webhooks'
import type { Attendees, AttendeeFields, AttendeeRow } from './attendees'
import type { CredentialConflicts } from './credential-conflicts'
import { orderingTime } from './clock'

export type CventOutcome = 'applied' | 'duplicate' | 'stale' | 'conflict'

export interface CventResult {
  outcome: CventOutcome
  attendeeId: number | null
  projectId: number
  /** The event's timestamp was further ahead of its arrival than the skew allows. */
  clockAhead: boolean
  /** With 'conflict': who holds the credential, and whether this claim opened a new conflict. */
  conflict?: { holder: string | null; opened: boolean; message: string }
}

export type Cvent = ReturnType<typeof createCvent>

export interface CventDeps {
  attendees: Attendees
  conflicts: CredentialConflicts
  /** Where a registration the station has not seen yet goes: the Cvent project now. */
  currentProject: () => number
  skewMs: number
}

export function createCvent(db: Db, deps: CventDeps) {
  const { attendees, conflicts } = deps
  const seen = db.prepare<[string], { event_id: string }>('SELECT event_id FROM cvent_events WHERE event_id = ?')
  const record = db.prepare<[string, string, string, number, number, number]>(
    'INSERT INTO cvent_events (event_id, event_type, registration_id, event_at, received_at, applied) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const projectOf = db.prepare<[string], { project_id: number }>('SELECT project_id FROM cvent_registrations WHERE registration_id = ?')
  const remember = db.prepare<[string, number, number]>(
    'INSERT OR IGNORE INTO cvent_registrations (registration_id, project_id, created_at) VALUES (?, ?, ?)',
  )
  const setState = db.prepare<[number, number, number, number]>(
    'UPDATE attendees SET cancelled = ?, cvent_event_at = ?, updated_at = ? WHERE id = ?',
  )
  const checkIn = db.prepare<[number, number, number, number]>(
    'UPDATE attendees SET checked_in_at = ?, updated_at = ? WHERE id = ? AND (checked_in_at IS NULL OR checked_in_at > ?)',
  )
  /** Records the earliest check-in time seen. */
  const setCheckIn = (at: number, now: number, id: number): void => {
    checkIn.run(at, now, id, at)
  }

  function fieldsFrom(event: CventEventPayload, base: AttendeeRow | undefined): AttendeeFields {
    const a = event.data.attendee ?? {}
    const registration = event.data.registration_id
    return {
      first_name: a.first_name || base?.first_name || '',
      last_name: a.last_name || base?.last_name || (base ? '' : registration),
      email: a.email ?? base?.email ?? null,
      attendee_type: a.attendee_type || base?.attendee_type || 'general',
      credential_value: base?.credential_value ?? null,
    }
  }

  /** Applies one event inside the caller's transaction. */
  function apply(event: CventEventPayload, receivedAt: number): CventResult {
    const registration = event.data.registration_id
    const projectId = projectOf.get(registration)?.project_id ?? deps.currentProject()
    const { at, ahead } = orderingTime(Date.parse(event.timestamp), receivedAt, deps.skewMs)
    const base = { projectId, clockAhead: ahead }
    if (seen.get(event.event_id)) return { ...base, outcome: 'duplicate', attendeeId: null }
    const existing = attendees.byExternal(projectId, registration)
    const cancels = event.event_type === 'registration.cancelled'

    // The registration id identifies the registration's attendee: nobody else may hold it.
    const problem = attendees.claimProblem(projectId, registration, existing?.id ?? 0)
    if (problem) {
      // A conflict an admin already resolved stays resolved: the claim is refused quietly.
      const decided = conflicts.last(projectId, registration)
      const settled = decided !== undefined && decided.resolved_at !== null
      const opened = !settled && conflicts.raise(projectId, registration, [{ registration_id: registration }], 'cvent', receivedAt)
      const conflict = { holder: problem.holder, opened, message: problem.message }
      // Nothing applied and the event id not kept, so it can be sent again once resolved — but a
      // cancellation of a registration the station has still applies: failing closed wins.
      if (!(cancels && existing)) return { ...base, outcome: 'conflict', attendeeId: null, conflict }
    }

    const last = existing?.cvent_event_at ?? null
    const stale = !cancels && last !== null && (at < last || (at === last && existing!.cancelled === 1))
    record.run(event.event_id, event.event_type, registration, at, receivedAt, stale ? 0 : 1)
    const checkedInAt = Math.min(at, receivedAt)
    if (stale) {
      // A check-in is a fact whatever arrived since; everything else yields to the newer event.
      if (event.event_type === 'attendee.checked_in' && existing) setCheckIn(checkedInAt, Date.now(), existing.id)
      return { ...base, outcome: 'stale', attendeeId: existing?.id ?? null }
    }
    // A late cancellation cancels but does not move the order back: a revival must be newer than
    // everything seen.
    const orderAt = last === null ? at : Math.max(last, at)
    const cancelled = cancels ? 1 : event.event_type === 'registration.created' ? 0 : (existing?.cancelled ?? 0)
    // An old cancellation changes state, not details.
    const fields = cancels && last !== null && at < last ? null : fieldsFrom(event, existing)
    let id: number
    if (existing) {
      id = existing.id
      if (fields) attendees.change(existing, fields)
      setState.run(cancelled, orderAt, Date.now(), id)
    } else {
      id = attendees.create(projectId, registration, fieldsFrom(event, undefined), 'cvent', {
        cventAt: orderAt,
        cancelled: cancelled === 1,
      })
    }
    remember.run(registration, projectId, receivedAt)
    if (event.event_type === 'attendee.checked_in') setCheckIn(checkedInAt, Date.now(), id)
    return { ...base, outcome: 'applied', attendeeId: id }
  }

  return { apply }
}
