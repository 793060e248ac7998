// A small venue for the screenshots: attendees, three gateways with readers, scans and refusals.
import { expect, scan, seedAttendees, type Station } from './fixtures'

const PEOPLE = [
  ['Jane', 'Smith'],
  ['Omar', 'Haddad'],
  ['Li', 'Wei'],
  ['Maria', 'Garcia'],
  ['Kwame', 'Mensah'],
  ['Sofia', 'Rossi'],
  ['Arjun', 'Patel'],
  ['Hannah', 'Müller'],
  ['Tomás', 'Silva'],
  ['Aiko', 'Tanaka'],
  ['Noah', 'Johnson'],
  ['Fatima', 'Khan'],
] as const

export async function seedVenue(station: Station): Promise<void> {
  await seedAttendees(
    station,
    PEOPLE.map(([first, last], i) => ({
      id: `A${i + 1}`,
      first,
      last,
      credential: `BADGE-${1001 + i}`,
      email: `${first
        .normalize('NFD')
        .replace(/[^A-Za-z]/g, '')
        .toLowerCase()}@example.com`,
    })),
  )
  const gateways = [
    {
      gateway_id: 'GW-NORTH',
      status: 'online',
      readers: [
        { reader_id: 'N-DOOR-1', status: 'connected' },
        { reader_id: 'N-DOOR-2', status: 'connected' },
        { reader_id: 'N-TURNSTILE', status: 'connected' },
      ],
    },
    {
      gateway_id: 'GW-SOUTH',
      status: 'online',
      readers: [
        { reader_id: 'S-DOOR-1', status: 'connected' },
        { reader_id: 'S-VIP', status: 'error' },
      ],
    },
    { gateway_id: 'GW-LOADING', status: 'offline', readers: [{ reader_id: 'L-DOCK', status: 'disconnected' }] },
  ]
  for (const g of gateways) expect((await station.post('mqtt-gateway-status', g)).status).toBe(200)

  const readers = ['N-DOOR-1', 'N-DOOR-2', 'N-TURNSTILE', 'S-DOOR-1']
  const start = Date.now() - 40 * 60_000
  for (let i = 0; i < 48; i++) {
    const credential = i % 9 === 4 ? `UNKNOWN-${i}` : `BADGE-${1001 + (i % PEOPLE.length)}`
    const at = new Date(start + i * 50_000)
    expect((await station.post('access-event', scan(readers[i % readers.length]!, credential, at))).status).toBe(200)
  }
  // Refusals the log should show: a bad signature and an unknown path.
  expect((await station.post('access-event', scan('N-DOOR-1', 'BADGE-1001'), { secret: 'wrong-secret' })).status).toBe(401)
  await fetch(`${station.receiverUrl}/webhook/v1/unknown`, { method: 'POST' })
}
