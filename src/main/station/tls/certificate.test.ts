// The HTTPS certificate: what is generated (read back by openssl), and what an import accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { certificateNames, ensureCertificate, generateCertificate, importCertificate, tlsPaths, TlsImportError } from './certificate'

let dir: string
const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** A certificate and key made by openssl itself, as an admin would bring them. */
function opensslPair(name: string, keyArgs: string[], digest = '-sha256'): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`)
  const key = join(dir, `${name}.key`)
  openssl(
    'req',
    '-x509',
    ...keyArgs,
    digest,
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    '30',
    '-subj',
    '/CN=gate.example',
    '-addext',
    'subjectAltName=DNS:gate.example,IP:10.0.0.5',
  )
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-cert-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the generated certificate', () => {
  it('is ECDSA P-256 signed with SHA-256, names every LAN address, and keeps its key at 0600', async () => {
    const data = join(dir, 'generated')
    const { info, cert } = await ensureCertificate(data)
    const p = tlsPaths(data)
    const text = openssl('x509', '-in', p.cert, '-noout', '-text')
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/)
    expect(text).toMatch(/NIST CURVE: P-256/)
    expect(text).not.toMatch(/sha1/i)
    expect(text).toMatch(/CA:FALSE/)
    expect(text).toMatch(/TLS Web Server Authentication/)
    const sans = /X509v3 Subject Alternative Name:\s*\n\s*(.+)/.exec(text)![1]!
    expect(sans).toContain('DNS:localhost')
    expect(sans).toContain('IP Address:127.0.0.1')
    expect(sans).toContain('IP Address:0:0:0:0:0:0:0:1')
    for (const ip of certificateNames().ips.filter((a) => !a.includes(':'))) expect(sans).toContain(`IP Address:${ip}`)

    // The fingerprint shown is the one openssl (and a browser) computes.
    const fp = openssl('x509', '-in', p.cert, '-noout', '-fingerprint', '-sha256').trim().split('=')[1]
    expect(info.fingerprint_sha256).toBe(fp)
    expect(info).toMatchObject({ origin: 'generated', key: 'ECDSA P-256', signature: 'ECDSA with SHA-256' })
    const days = (Date.parse(info.not_after) - Date.parse(info.not_before)) / 86_400_000
    expect(days).toBeGreaterThan(800)
    expect(days).toBeLessThan(830)

    expect(statSync(p.key).mode & 0o777).toBe(0o600)
    expect(statSync(p.dir).mode & 0o777).toBe(0o700)
    // Generated once: the next start keeps it (and the pins gateways hold).
    expect((await ensureCertificate(data)).cert).toBe(cert)
  })
})

describe('importing a certificate', () => {
  it('accepts an admin pair (RSA 2048 and ECDSA P-384) and reports it as imported', async () => {
    for (const [name, keyArgs, keyText] of [
      ['rsa', ['-newkey', 'rsa:2048'], 'RSA 2048'],
      ['p384', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1'], 'ECDSA P-384'],
    ] as const) {
      const data = join(dir, `import-${name}`)
      const pair = opensslPair(name, [...keyArgs])
      const info = await importCertificate(data, pair.cert, pair.key)
      expect(info).toMatchObject({ origin: 'imported', key: keyText, subject: 'CN=gate.example' })
      expect(info.sans).toEqual(['DNS:gate.example', 'IP:10.0.0.5'])
      expect(info.fingerprint_sha256).toBe(new X509Certificate(pair.cert).fingerprint256)
      expect(statSync(tlsPaths(data).key).mode & 0o777).toBe(0o600)
      // The stored pair is what a station would load.
      expect((await ensureCertificate(data)).info.fingerprint_sha256).toBe(info.fingerprint_sha256)
    }
  })

  it('refuses a key that is not the certificate’s, and leaves the current pair alone', async () => {
    const data = join(dir, 'mismatch')
    const before = await ensureCertificate(data)
    const a = opensslPair('a', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'])
    const b = opensslPair('b', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'])
    await expect(importCertificate(data, a.cert, b.key)).rejects.toThrow(/key does not belong to the certificate/)
    await expect(importCertificate(data, a.cert, b.key)).rejects.toBeInstanceOf(TlsImportError)
    expect((await ensureCertificate(data)).info.fingerprint_sha256).toBe(before.info.fingerprint_sha256)
  })

  it('refuses SHA-1 signatures, weak RSA keys, expired certificates and non-PEM input with a clear message', async () => {
    const data = join(dir, 'weak')
    const sha1 = opensslPair('sha1', ['-newkey', 'rsa:2048'], '-sha1')
    await expect(importCertificate(data, sha1.cert, sha1.key)).rejects.toThrow(/signed with SHA-1.*reissue it with SHA-256/)
    const small = opensslPair('small', ['-newkey', 'rsa:1024'])
    await expect(importCertificate(data, small.cert, small.key)).rejects.toThrow(
      /weak key refused: the RSA key has 1024 bits; at least 2048/,
    )
    const old = await generateCertificate({ dns: ['localhost'], ips: ['127.0.0.1'] }, Date.now() - 900 * 86_400_000)
    await expect(importCertificate(data, old.cert, old.key)).rejects.toThrow(/expired on/)
    await expect(importCertificate(data, 'hello', sha1.key)).rejects.toThrow(/no PEM certificate/)
    await expect(importCertificate(data, sha1.cert, 'not a key')).rejects.toThrow(/not an unencrypted PEM private key/)
  })
})
