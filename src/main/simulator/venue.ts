// A simulated venue: gateways with their readers, and the attendees whose badges they scan.
// Everything is drawn from a seeded generator, so a run can be repeated scan for scan.
import type { SyncAttendee } from '../../shared/webhooks'
import type { Direction } from '../../shared/venue'

export interface SimGateway {
  gateway_id: string
  readers: string[]
  /** Each gateway guards one zone: its first readers let people in, the others out. */
  zone: string
  directions: Direction[]
}

const ZONE_NAMES = ['Hall', 'Expo', 'Gala', 'Lounge', 'Stage', 'Foyer'] as const

/** The zone a simulated gateway guards. */
export const zoneOf = (g: number): string =>
  g < ZONE_NAMES.length ? ZONE_NAMES[g]! : `${ZONE_NAMES[g % ZONE_NAMES.length]} ${Math.floor(g / ZONE_NAMES.length) + 1}`

/** A lone reader is a two-way door; otherwise the first half of a gateway's readers are entries. */
export const directionOf = (r: number, readers: number): Direction =>
  readers === 1 ? 'both' : r < Math.ceil(readers / 2) ? 'entry' : 'exit'

export interface Venue {
  team_slug: string
  project_slug: string
  gateways: SimGateway[]
  attendees: SyncAttendee[]
  /** Indexes into `attendees` of the registrations the simulator cancels through Cvent. */
  cancelled: number[]
}

export interface VenueOptions {
  gateways: number
  readersPerGateway: number
  attendees: number
  seed: number
  teamSlug?: string
  projectSlug?: string
}

/** Share of registrations cancelled through Cvent, capped so a huge venue does not send thousands of events. */
export const CANCELLED_SHARE = 0.03
export const MAX_CANCELLED = 200

/** mulberry32: small, fast and good enough to pick readers and badges. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST = [
  'Ada',
  'Bea',
  'Carl',
  'Dana',
  'Eli',
  'Fay',
  'Gus',
  'Hana',
  'Ivo',
  'Jun',
  'Kai',
  'Lea',
  'Mo',
  'Nia',
  'Oto',
  'Pia',
  'Quin',
  'Rui',
  'Sol',
  'Tea',
]
const LAST = [
  'Abe',
  'Berg',
  'Costa',
  'Diaz',
  'Eze',
  'Frey',
  'Gale',
  'Hoss',
  'Ito',
  'Jahn',
  'Kovac',
  'Lund',
  'Mori',
  'Nagy',
  'Ortiz',
  'Park',
  'Quist',
  'Rossi',
  'Sato',
  'Toth',
]
const TYPES = ['general', 'general', 'general', 'general', 'vip', 'staff', 'exhibitor', 'speaker']

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

export const gatewayId = (g: number): string => `GW-${pad(g + 1, 3)}`
export const readerId = (g: number, r: number): string => `${gatewayId(g)}-R${pad(r + 1, 2)}`

/** Attendee `i` of a venue (also used by the benchmark to build large syncs without a Venue). */
export function simAttendee(i: number, pick: (list: readonly string[]) => string): SyncAttendee {
  const first = pick(FIRST)
  const last = pick(LAST)
  const n = pad(i + 1, 6)
  return {
    external_id: `SIM-${n}`,
    first_name: first,
    last_name: last,
    email: `${first}.${last}.${n}@example.com`.toLowerCase(),
    attendee_type: pick(TYPES),
    credential_value: `BADGE-${n}`,
  }
}

export function buildVenue(options: VenueOptions): Venue {
  const random = seededRandom(options.seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const gateways: SimGateway[] = []
  for (let g = 0; g < options.gateways; g++) {
    const readers: string[] = []
    for (let r = 0; r < options.readersPerGateway; r++) readers.push(readerId(g, r))
    gateways.push({
      gateway_id: gatewayId(g),
      readers,
      zone: zoneOf(g),
      directions: readers.map((_, r) => directionOf(r, readers.length)),
    })
  }
  const attendees: SyncAttendee[] = []
  for (let i = 0; i < options.attendees; i++) attendees.push(simAttendee(i, pick))
  // Keep at least one valid attendee: a venue where everyone is cancelled shows nothing.
  const wanted = Math.min(MAX_CANCELLED, Math.ceil(options.attendees * CANCELLED_SHARE), Math.max(0, options.attendees - 1))
  const cancelled = new Set<number>()
  while (cancelled.size < wanted) cancelled.add(Math.floor(random() * options.attendees))
  return {
    team_slug: options.teamSlug ?? 'demo',
    project_slug: options.projectSlug ?? 'venue',
    gateways,
    attendees,
    cancelled: [...cancelled].sort((a, b) => a - b),
  }
}
