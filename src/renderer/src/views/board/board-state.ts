// What a gateway or reader tile says first: the one state that matters most, and the order in
// which the board shows them (problems first: offline, disabled, degraded, unknown, then healthy).
import { TEST_GATEWAY_ID, type GatewayHealth, type GatewayView, type ReaderView } from '../../../../shared/domain'

export type TileState = 'offline' | 'disabled' | 'degraded' | 'unknown' | 'online' | 'healthy'

export const STATE_WORDS: Record<TileState | 'stale', string> = {
  offline: 'Offline',
  disabled: 'Disabled',
  degraded: 'Degraded',
  unknown: 'Unknown',
  online: 'Online',
  healthy: 'Healthy',
  stale: 'Stale',
}

const RANK: Record<TileState, number> = { offline: 0, disabled: 1, degraded: 2, unknown: 3, online: 4, healthy: 4 }

export function gatewayState(g: GatewayView): TileState {
  return g.health
}

/**
 * A reader behind an offline gateway is offline whatever it last reported; a disabled reader says
 * Disabled before anything it reported (it denies every scan, which is what the desk must see).
 */
export function readerState(r: ReaderView, gatewayHealth: GatewayHealth | null): TileState {
  if (gatewayHealth === 'offline') return 'offline'
  if (!r.enabled) return 'disabled'
  if (r.health === 'degraded') return 'degraded'
  if (r.health === 'unknown') return 'unknown'
  return 'healthy'
}

export interface BoardReader {
  reader: ReaderView
  state: TileState
}

export interface Board {
  gateways: Array<{ gateway: GatewayView; state: TileState }>
  readers: BoardReader[]
}

/** Gateways and readers (the desk's test gateway left out), each sorted problems first, then by id. */
export function buildBoard(gateways: readonly GatewayView[], unassigned: readonly ReaderView[]): Board {
  const real = gateways.filter((g) => g.gateway_id !== TEST_GATEWAY_ID)
  const health = new Map(real.map((g) => [g.gateway_id, g.health]))
  const readers: BoardReader[] = [...real.flatMap((g) => g.readers), ...unassigned]
    .filter((r) => !r.reader_id.startsWith(TEST_GATEWAY_ID))
    .map((reader) => ({ reader, state: readerState(reader, reader.gateway_id === null ? null : (health.get(reader.gateway_id) ?? null)) }))
  readers.sort((a, b) => RANK[a.state] - RANK[b.state] || a.reader.reader_id.localeCompare(b.reader.reader_id))
  const shown = real.map((gateway) => ({ gateway, state: gatewayState(gateway) }))
  shown.sort((a, b) => RANK[a.state] - RANK[b.state] || a.gateway.gateway_id.localeCompare(b.gateway.gateway_id))
  return { gateways: shown, readers }
}

/** "2 offline · 1 disabled · 61 healthy": the board's summary line, problems first. */
export function summarise(states: readonly TileState[]): string {
  const counts = new Map<TileState, number>()
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1)
  return (['offline', 'disabled', 'degraded', 'unknown', 'online', 'healthy'] as const)
    .filter((s) => counts.has(s))
    .map((s) => `${counts.get(s)} ${STATE_WORDS[s].toLowerCase()}`)
    .join(' · ')
}
