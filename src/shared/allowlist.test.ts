// Allowlist entries are parsed strictly and kept in one canonical spelling.
import { describe, expect, it } from 'vitest'
import { BlockList } from 'node:net'
import fc from 'fast-check'
import { normalizeClientAddress, parseAllowlistEntry } from './allowlist'

const canonical = (text: string): string => {
  const r = parseAllowlistEntry(text)
  if (!r.ok) throw new Error(`expected "${text}" to parse: ${r.error}`)
  return r.value.entry
}

describe('parseAllowlistEntry', () => {
  it.each([
    ['012.0.0.1', 'leading zero (octal in some parsers)'],
    ['127.1', 'short form'],
    ['10.0.0.0/33', 'IPv4 prefix over 32'],
    ['127.0.0.1/08', 'leading zero in the prefix'],
    ['127.0.0.1/', 'empty prefix'],
    ['127.0.0.1/-1', 'negative prefix'],
    ['10.0.0.0/8/8', 'two prefixes'],
    ['256.0.0.1', 'octet over 255'],
    ['1.2.3', 'three parts'],
    ['1.2.3.4.5', 'five parts'],
    ['0x7f.0.0.1', 'hex octet'],
    ['2130706433', 'a bare integer'],
    ['::1/129', 'IPv6 prefix over 128'],
    ['fe80::1%eth0', 'zone index'],
    ['2001:db8::g', 'not hex'],
    ['::ffff:10.0.0.0/95', 'mapped range shorter than /96'],
    ['example.com', 'a host name'],
    ['', 'empty'],
    ['   ', 'blank'],
  ])('rejects %j (%s)', (input) => {
    const r = parseAllowlistEntry(input)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.length).toBeGreaterThan(0)
  })

  it.each([
    ['192.168.1.20', '192.168.1.20', 'ipv4', 32],
    ['192.168.1.20/32', '192.168.1.20', 'ipv4', 32],
    [' 10.1.2.3/8 ', '10.0.0.0/8', 'ipv4', 8],
    ['127.0.0.0/30', '127.0.0.0/30', 'ipv4', 30],
    ['0.0.0.0/0', '0.0.0.0/0', 'ipv4', 0],
    ['2001:DB8:0000::0001', '2001:db8::1', 'ipv6', 128],
    ['2001:db8:1234::5/32', '2001:db8::/32', 'ipv6', 32],
    ['::1', '::1', 'ipv6', 128],
    ['::/0', '::/0', 'ipv6', 0],
    ['::ffff:10.0.0.5', '10.0.0.5', 'ipv4', 32],
    ['::ffff:10.1.0.0/104', '10.0.0.0/8', 'ipv4', 8],
  ])('stores %j as %j', (input, entry, family, prefix) => {
    const r = parseAllowlistEntry(input)
    expect(r).toEqual({ ok: true, value: { entry, family, address: entry.split('/')[0], prefix } })
  })

  it('is idempotent, and the canonical IPv4 range holds exactly the addresses its prefix says', () => {
    const octet = fc.integer({ min: 0, max: 255 })
    fc.assert(
      fc.property(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 0, max: 32 }), octet, (parts, prefix, probeLast) => {
        const address = parts.join('.')
        const entry = canonical(`${address}/${prefix}`)
        expect(canonical(entry)).toBe(entry)
        // The canonical network contains the address it was written with, and agrees with
        // net.BlockList on another address in the same /24.
        const [net, bits = '32'] = entry.split('/')
        const list = new BlockList()
        list.addSubnet(net!, Number(bits), 'ipv4')
        expect(list.check(address, 'ipv4')).toBe(true)
        const probe = [...parts.slice(0, 3), probeLast].join('.')
        const reference = new BlockList()
        reference.addSubnet(address, prefix, 'ipv4')
        expect(list.check(probe, 'ipv4')).toBe(reference.check(probe, 'ipv4'))
      }),
      { numRuns: 300 },
    )
  })
})

describe('normalizeClientAddress', () => {
  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7f00:2', '127.0.0.2'],
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeClientAddress(input)).toBe(expected)
  })
})
