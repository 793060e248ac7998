// Cvent events: registrations become attendees of the Cvent project, keyed by registration_id.
// Idempotent by event_id (kept in the store, so also across restarts); an event older than the
// last one applied to the same registration changes nothing.
import type { Db } from '../store/db'
import type { CventEventPayload } from '../../../shared/webhooks'
import type { Attendees, AttendeeFields, AttendeeRow } from './attendees'

export type CventOutcome = 'applied' | 'duplicate' | 'stale'

export interface CventResult {
  outcome: CventOutcome
  attendeeId: number | null
}

export type Cvent = ReturnType<typeof createCvent>

export function createCvent(db: Db, attendees: Attendees) {
  const seen = db.prepare<[string], { event_id: string }>('SELECT event_id FROM cvent_events WHERE event_id = ?')
  const record = db.prepare<[string, string, string, number, number, number]>(
    'INSERT INTO cvent_events (event_id, event_type, registration_id, event_at, received_at, applied) VALUES (?, ?, ?, ?, ?, ?)',
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
  function apply(projectId: number, event: CventEventPayload, receivedAt: number): CventResult {
    if (seen.get(event.event_id)) return { outcome: 'duplicate', attendeeId: null }
    const at = Date.parse(event.timestamp)
    const registration = event.data.registration_id
    const existing = attendees.byExternal(projectId, registration)
    const last = existing?.cvent_event_at ?? null
    // On a tie, a cancellation wins: fail closed rather than revive a cancelled registration.
    const stale =
      last !== null && (at < last || (at === last && existing!.cancelled === 1 && event.event_type !== 'registration.cancelled'))
    record.run(event.event_id, event.event_type, registration, at, receivedAt, stale ? 0 : 1)
    if (stale) {
      // A check-in is a fact whatever arrived since; everything else yields to the newer event.
      if (event.event_type === 'attendee.checked_in' && existing) setCheckIn(at, Date.now(), existing.id)
      return { outcome: 'stale', attendeeId: existing?.id ?? null }
    }
    const fields = fieldsFrom(event, existing)
    const cancelled =
      event.event_type === 'registration.cancelled' ? 1 : event.event_type === 'registration.created' ? 0 : (existing?.cancelled ?? 0)
    let id: number
    if (existing) {
      id = existing.id
      attendees.change(id, fields)
      setState.run(cancelled, at, Date.now(), id)
    } else {
      id = attendees.create(projectId, registration, fields, 'cvent', { cventAt: at, cancelled: cancelled === 1 })
    }
    if (event.event_type === 'attendee.checked_in') setCheckIn(at, Date.now(), id)
    return { outcome: 'applied', attendeeId: id }
  }

  return { apply }
}
