// A venue of 64 readers (8 gateways of 8) for the board tests: one gateway silent-offline by its
// own report, one reader in error, a few scans; returns the reader ids.
import { expect, scan, seedAttendees, type Station } from './fixtures'

export const BIG_GATEWAYS = 8
export const READERS_PER_GATEWAY = 8

export const readerId = (g: number, r: number): string => `G${g + 1}-R${String(r + 1).padStart(2, '0')}`
export const gatewayId = (g: number): string => `GW-${String(g + 1).padStart(2, '0')}`

export async function seedBigVenue(station: Station): Promise<string[]> {
  await seedAttendees(
    station,
    Array.from({ length: 8 }, (_, i) => ({ id: `B${i}`, first: `Guest${i}`, last: 'Walker', credential: `CARD-${i}` })),
  )
  const ids: string[] = []
  for (let g = 0; g < BIG_GATEWAYS; g++) {
    const readers = Array.from({ length: READERS_PER_GATEWAY }, (_, r) => {
      ids.push(readerId(g, r))
      return { reader_id: readerId(g, r), status: g === 2 && r === 3 ? 'error' : 'connected' }
    })
    const status = g === 5 ? 'offline' : 'online'
    expect((await station.post('mqtt-gateway-status', { gateway_id: gatewayId(g), status, readers })).status).toBe(200)
  }
  for (let i = 0; i < 8; i++) {
    expect((await station.post('access-event', scan(readerId(i % 4, i), i === 6 ? 'NOBODY' : `CARD-${i}`))).status).toBe(200)
  }
  return ids
}
