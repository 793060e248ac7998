// The admin passphrase: a salted scrypt hash, never the passphrase itself, compared in constant time.
import { describe, expect, it } from 'vitest'
import { hashPassphrase, verifyPassphrase, PassphraseError } from './passphrase'

describe('admin passphrase hash', () => {
  it('verifies the passphrase and nothing else, with a salt of its own per hash', async () => {
    const a = await hashPassphrase('correct horse battery')
    const b = await hashPassphrase('correct horse battery')
    expect(a.algorithm).toBe('scrypt')
    expect(a.N).toBeGreaterThanOrEqual(16384)
    expect(a.salt).not.toBe(b.salt)
    expect(a.hash).not.toBe(b.hash)
    expect(JSON.stringify(a)).not.toContain('correct horse')
    expect(await verifyPassphrase('correct horse battery', a)).toBe(true)
    expect(await verifyPassphrase('correct horse battery', b)).toBe(true)
    expect(await verifyPassphrase('correct horse batterY', a)).toBe(false)
    expect(await verifyPassphrase('', a)).toBe(false)
    expect(await verifyPassphrase('correct horse battery', { ...a, hash: b.hash })).toBe(false)
    expect(await verifyPassphrase('correct horse battery', { ...a, algorithm: 'md5' as 'scrypt' })).toBe(false)
  })

  it('refuses a passphrase too short to be one', async () => {
    await expect(hashPassphrase('short')).rejects.toThrow(PassphraseError)
  })

  it('takes the same passphrase however its accents were typed (NFC)', async () => {
    const h = await hashPassphrase('caf\u00e9 au lait')
    expect(await verifyPassphrase('cafe\u0301 au lait', h)).toBe(true)
  })
})
