// The checks a scan goes through, in the documented order, first denial wins:
//   reader disabled → lockdown → outside its opening hours → a blocked credential → unknown
//   credential (or one in conflict) → a blocked attendee → cancelled → not permitted here →
//   area anti-passback / per-reader duplicate → zone full (hard capacity) → granted.
// An officer's "admit once" override turns a denial an officer may forgive into a grant (reason
// `override`); never a block, a lockdown, a disabled reader, a conflict or a full zone.
import type { DecisionReason } from '../../../shared/webhooks'
import type { AttendeeRow } from './attendees'
import type { ReaderRow } from './gateways'
import type { ZoneRow, Zones } from '../venue/zones'
import type { WatchHit, WatchList } from '../venue/watch-list'
import type { Lockdowns } from '../venue/lockdowns'
import type { Overrides } from '../venue/overrides'
import type { CredentialConflicts } from './credential-conflicts'
import { isOpen, type OpenWindow } from '../venue/open-windows'

/** What an officer's override may grant past. */
export const FORGIVABLE: ReadonlySet<DecisionReason> = new Set<DecisionReason>([
  'outside_window',
  'unknown_credential',
  'cancelled',
  'not_permitted',
  'anti_passback',
  'duplicate_scan',
])

export interface ScanFacts {
  reader: ReaderRow
  zone: ZoneRow | undefined
  projectId: number | null
  credential: string
  attendee: AttendeeRow | undefined
  now: number
  /** A retried grant being judged again: what it did itself is not held against it. */
  ownGrant?: { id: number; zoneId: number | null; movement: string | null }
}

export interface Judgement {
  reason: DecisionReason
  /** The watch-list flag seen on the credential or the attendee, if any. */
  watch: WatchHit | undefined
  /** Set when an override made this a grant: who granted it, and which one was used. */
  override: { id: number; by: string } | undefined
  /** What a grant does to the person's zone: into the reader's zone, out of it, or nothing. */
  movement: 'in' | 'out' | null
}

export interface RulesDeps {
  conflicts: CredentialConflicts
  zones: Zones
  watch: WatchList
  lockdowns: Lockdowns
  overrides: Overrides
  /** A grant of this attendee at this reader since `since`, other than decision `except` (asked at `now`). */
  grantedSince: (attendeeId: number, readerId: string, since: number, except: number, now: number) => boolean
}

export type DecisionRules = ReturnType<typeof createDecisionRules>

export function createDecisionRules(deps: RulesDeps) {
  const { zones } = deps

  /** Where a grant at this reader moves the person (a `both` reader: out if inside, else in). */
  function movementOf(reader: ReaderRow, zone: ZoneRow | undefined, attendee: AttendeeRow | undefined): 'in' | 'out' | null {
    if (!zone || !attendee) return null
    if (reader.direction === 'exit') return 'out'
    if (reader.direction === 'both') return zones.presenceOf(attendee.id)?.zone_id === zone.id ? 'out' : 'in'
    return 'in'
  }

  function check(f: ScanFacts, movement: 'in' | 'out' | null): { reason: DecisionReason; watch: WatchHit | undefined } {
    const { reader, zone, attendee, now } = f
    if (reader.enabled !== 1) return { reason: 'reader_disabled', watch: undefined }
    if (deps.lockdowns.closing(zone?.name ?? null)) return { reason: 'lockdown', watch: undefined }
    if (reader.open_windows && !isOpen(JSON.parse(reader.open_windows) as OpenWindow[], now))
      return { reason: 'outside_window', watch: undefined }
    const byCredential = deps.watch.forCredential(f.credential, now)
    if (byCredential?.kind === 'blocked') return { reason: 'blocked', watch: byCredential }
    if (!attendee) {
      const conflicted = f.projectId !== null && deps.conflicts.isOpen(f.projectId, f.credential)
      return { reason: conflicted ? 'credential_conflict' : 'unknown_credential', watch: byCredential }
    }
    const byAttendee = deps.watch.forAttendee(attendee.id, now)
    if (byAttendee?.kind === 'blocked') return { reason: 'blocked', watch: byAttendee }
    const watch = byCredential ?? byAttendee
    if (attendee.cancelled === 1) return { reason: 'cancelled', watch }
    if (reader.allowed_types && !(JSON.parse(reader.allowed_types) as string[]).includes(attendee.attendee_type))
      return { reason: 'not_permitted', watch }
    const own = f.ownGrant
    const ownEntry = own !== undefined && own.movement === 'in' && own.zoneId === zone?.id
    if (zone && zone.anti_passback === 1 && movement === 'in' && !ownEntry && zones.presenceOf(attendee.id)?.zone_id === zone.id) {
      return { reason: 'anti_passback', watch }
    }
    const window = reader.anti_passback_seconds
    if (window && window > 0 && deps.grantedSince(attendee.id, reader.reader_id, now - window * 1000, own?.id ?? 0, now)) {
      return { reason: 'duplicate_scan', watch }
    }
    if (zone && zone.hard === 1 && zone.capacity !== null && movement === 'in' && zones.presenceOf(attendee.id)?.zone_id !== zone.id) {
      if (zone.inside >= zone.capacity) return { reason: 'zone_full', watch }
    }
    return { reason: 'granted', watch }
  }

  return {
    /** Judges one scan; looks for an override only when a forgivable check denied it. */
    judge(f: ScanFacts, options: { useOverride: boolean } = { useOverride: true }): Judgement {
      const movement = movementOf(f.reader, f.zone, f.attendee)
      const { reason, watch } = check(f, movement)
      if (reason !== 'granted' && options.useOverride && FORGIVABLE.has(reason)) {
        const override = deps.overrides.find(f.reader.reader_id, f.credential, f.now)
        if (override) return { reason: 'override', watch, override, movement }
      }
      return { reason, watch, override: undefined, movement: reason === 'granted' ? movement : null }
    },
  }
}
