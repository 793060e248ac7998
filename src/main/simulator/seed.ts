// Before the doors open: the venue's attendees through attendee-sync, then a few registrations
// cancelled the way Cvent does it, so some badges at the gates belong to cancelled attendees.
import type { Agent } from 'node:http'
import type { EndpointName } from '../../shared/webhooks'
import type { Answer } from './client'
import type { Tally } from './report'
import type { Venue } from './venue'

const SYNC_CHUNK = 50_000

export type Send = (endpoint: EndpointName, payload: unknown, agent: Agent, timeoutMs?: number) => Promise<Answer>

/** attendee-sync in chunks (one request per 50,000 rows), tallying what the station did with them. */
export async function seedAttendees(
  venue: Venue,
  send: Send,
  json: (a: Answer) => Record<string, unknown> | null,
  tally: Tally,
  agent: Agent,
): Promise<void> {
  const totals = { created: 0, updated: 0, skipped: 0, errors: 0 }
  for (let i = 0; i < venue.attendees.length; i += SYNC_CHUNK) {
    const a = await send(
      'attendee-sync',
      {
        project_slug: venue.project_slug,
        team_slug: venue.team_slug,
        sync_mode: 'upsert',
        attendees: venue.attendees.slice(i, i + SYNC_CHUNK),
      },
      agent,
      120_000,
    )
    const results =
      a.status === 200
        ? (json(a)?.results as { created: number; updated: number; skipped: number; errors: unknown[] } | undefined)
        : undefined
    if (!results) continue
    totals.created += results.created
    totals.updated += results.updated
    totals.skipped += results.skipped
    totals.errors += results.errors.length
  }
  tally.seeding = totals
}

/** Cancels some registrations the way Cvent does: one signed registration.cancelled each. */
export async function cancelSome(venue: Venue, send: Send, agent: Agent, seed: number, aborted: () => boolean): Promise<void> {
  const run = `${seed.toString(16)}-${Date.now().toString(36)}`
  const queue = [...venue.cancelled]
  const worker = async (): Promise<void> => {
    for (let i = queue.shift(); i !== undefined && !aborted(); i = queue.shift()) {
      const a = venue.attendees[i]!
      await send(
        'cvent',
        {
          event_type: 'registration.cancelled',
          event_id: `evt_sim_${run}_${i}`,
          data: { registration_id: a.external_id, attendee: { first_name: a.first_name, last_name: a.last_name, email: a.email } },
          timestamp: new Date().toISOString(),
        },
        agent,
      )
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
}
