// Binding the receiver to the LAN, and the URLs gateways can be given.
import { networkInterfaces } from 'node:os'
import type { FastifyInstance } from 'fastify'
import type { AddressInfo } from 'node:net'

export const DEFAULT_RECEIVER_HOST = '0.0.0.0'
export const DEFAULT_RECEIVER_PORT = 8787

export interface LanAddress {
  interface: string
  address: string
  family: 'IPv4' | 'IPv6'
  internal: boolean
}

/** Non-loopback addresses first; link-local IPv6 is left out (it needs a zone in a URL). */
export function lanAddresses(): LanAddress[] {
  const out: LanAddress[] = []
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')) continue
      out.push({ interface: name, address: a.address, family: a.family, internal: a.internal })
    }
  }
  return out.sort((a, b) => Number(a.internal) - Number(b.internal) || a.family.localeCompare(b.family))
}

const hostForUrl = (address: string): string => (address.includes(':') ? `[${address}]` : address)

/** Base URLs a gateway can post to, one per address the listener is reachable on. */
export function receiverUrls(host: string, port: number, scheme = 'http'): string[] {
  const wildcard = host === '0.0.0.0' || host === '::'
  if (!wildcard) return [`${scheme}://${hostForUrl(host)}:${port}`]
  return lanAddresses()
    .filter((a) => host === '::' || a.family === 'IPv4')
    .map((a) => `${scheme}://${hostForUrl(a.address)}:${port}`)
}

export async function listen(app: FastifyInstance, host: string, port: number): Promise<{ host: string; port: number }> {
  await app.listen({ host, port })
  const info = app.server.address() as AddressInfo
  return { host, port: info.port }
}
