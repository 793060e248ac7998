// The names the dashboard answers to: what a rebinding page can send in Host is refused.
import { describe, expect, it } from 'vitest'
import { hostname, networkInterfaces } from 'node:os'
import { hostOfHeader, stationNames } from './dashboard-names'

describe('dashboard names', () => {
  it('reads the host out of a Host header, and refuses malformed ones', () => {
    expect(hostOfHeader('127.0.0.1:8788')).toBe('127.0.0.1')
    expect(hostOfHeader('[::1]:8788')).toBe('::1')
    expect(hostOfHeader('Gate.Local.:80')).toBe('gate.local')
    expect(hostOfHeader(undefined)).toBeNull()
    expect(hostOfHeader('')).toBeNull()
    expect(hostOfHeader('a:b:c')).toBeNull()
    expect(hostOfHeader('evil.example:80x')).toBeNull()
    expect(hostOfHeader('[::1]junk')).toBeNull()
    expect(hostOfHeader('x y')).toBeNull()
  })

  it('accepts loopback, this machine and added names; nothing else', () => {
    const names = stationNames({ extra: ['desk.venue.lan'] })
    for (const ok of ['localhost:1', '127.0.0.1', '127.9.9.9:80', '[::1]:8788', 'desk.venue.lan:8788', `${hostname()}:8788`]) {
      expect(names.accepts(ok), ok).toBe(true)
    }
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)
    if (lan) expect(names.accepts(`${lan.address}:8788`)).toBe(true)
    for (const bad of [
      'rebind.example:8788',
      'localhost.evil.example',
      '127.0.0.1.evil.example',
      '0.0.0.0',
      'desk.venue.lan.evil',
      undefined,
    ]) {
      expect(names.accepts(bad), String(bad)).toBe(false)
    }
  })
})
