// The HTTPS listener's certificate, kept in <data dir>/tls/ (cert.pem, key.pem at 0600): generated
// at first start — ECDSA P-256 signed with SHA-256, valid 825 days, naming every LAN address — or
// imported by an admin after checks (the pair matches, no SHA-1, no weak key, not expired).
import { X509Certificate, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto'
import { createSecureContext } from 'node:tls'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { lanAddresses } from '../receiver/server'
import type { TlsView } from '../../../shared/station-settings'
import { loadX509, nodeCrypto } from './x509'

export type CertificateInfo = Omit<TlsView, 'https_urls' | 'https_port'>

export interface TlsMaterial {
  /** PEM: the certificate, then any intermediates. */
  cert: string
  /** PEM, PKCS #8. */
  key: string
  info: CertificateInfo
}

export class TlsImportError extends Error {
  override name = 'TlsImportError'
}

/** Apple's limit for TLS server certificates; long enough that pins rarely change. */
export const GENERATED_VALID_DAYS = 825
const GENERATED_ORG = 'Gatehouse (self-signed)'
const STRONG_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512'])
const STRONG_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }

export const tlsPaths = (dataDir: string) => {
  const dir = join(dataDir, 'tls')
  return { dir, cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') }
}

/** Names a gateway may use to reach this machine: localhost, the host name, every LAN address. */
export function certificateNames(): { dns: string[]; ips: string[] } {
  const host = hostname().toLowerCase()
  const dns = new Set(['localhost'])
  if (/^[a-z0-9.-]+$/.test(host)) {
    dns.add(host)
    if (!host.includes('.')) dns.add(`${host}.local`)
  }
  const ips = new Set(['127.0.0.1', '::1', ...lanAddresses().map((a) => a.address)])
  return { dns: [...dns], ips: [...ips] }
}

const pemBlocks = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []

function describeKey(key: KeyObject): { text: string; weakness: string | null } {
  const d = key.asymmetricKeyDetails ?? {}
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const curve = STRONG_CURVES[d.namedCurve ?? '']
      return curve
        ? { text: `ECDSA ${curve}`, weakness: null }
        : { text: `EC ${d.namedCurve ?? '?'}`, weakness: `the EC curve ${d.namedCurve ?? '(unknown)'} is not P-256, P-384 or P-521` }
    }
    case 'rsa':
    case 'rsa-pss': {
      const bits = d.modulusLength ?? 0
      return { text: `RSA ${bits}`, weakness: bits < 2048 ? `the RSA key has ${bits} bits; at least 2048 are required` : null }
    }
    default:
      return {
        text: key.asymmetricKeyType ?? 'unknown',
        weakness: `${key.asymmetricKeyType ?? 'this'} keys are not accepted; use ECDSA P-256/P-384 or RSA ≥ 2048`,
      }
  }
}

async function signatureOf(pem: string): Promise<{ text: string; hash: string | null }> {
  const x509 = await loadX509()
  try {
    const alg = new x509.X509Certificate(pem).signatureAlgorithm as { name: string; hash: { name: string } }
    const name = alg.name === 'RSASSA-PKCS1-v1_5' ? 'RSA' : alg.name
    return { text: `${name} with ${alg.hash.name}`, hash: alg.hash.name }
  } catch {
    return { text: 'unrecognised algorithm', hash: null }
  }
}

// Not checkIssued(): OpenSSL says no when the key usage lacks keyCertSign, as a leaf's should.
const isSelfSigned = (c: X509Certificate): boolean => c.subject === c.issuer && c.verify(c.publicKey)

export async function describeCertificate(certPem: string): Promise<CertificateInfo> {
  const [first] = pemBlocks(certPem)
  if (!first) throw new TlsImportError('no PEM certificate found')
  const leaf = new X509Certificate(first)
  const names = (leaf.subjectAltName ?? '').split(', ').filter(Boolean)
  return {
    fingerprint_sha256: leaf.fingerprint256,
    subject: leaf.subject.split('\n').join(', '),
    issuer: leaf.issuer.split('\n').join(', '),
    origin: isSelfSigned(leaf) && leaf.subject.includes(`O=${GENERATED_ORG}`) ? 'generated' : 'imported',
    key: describeKey(leaf.publicKey).text,
    signature: (await signatureOf(first)).text,
    sans: names.map((n) => n.replace(/^IP Address:/, 'IP:')),
    not_before: new Date(leaf.validFrom).toISOString(),
    not_after: new Date(leaf.validTo).toISOString(),
  }
}

/** A new self-signed certificate for the given names: ECDSA P-256 key, ECDSA-with-SHA-256 signature. */
export async function generateCertificate(names = certificateNames(), now = Date.now()): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509()
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
  const keys = await nodeCrypto.subtle.generateKey(alg, true, ['sign', 'verify'])
  // A positive serial of 128 random bits (the high bit cleared keeps the DER integer positive).
  const serial = randomBytes(16)
  serial[0]! &= 0x7f
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: [{ CN: [names.dns[1] ?? 'localhost'] }, { O: [GENERATED_ORG] }],
    notBefore: new Date(now - 3600_000), // tolerate a gateway whose clock is a little behind
    notAfter: new Date(now + GENERATED_VALID_DAYS * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const pkcs8 = Buffer.from(await nodeCrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string
  return { cert: cert.toString('pem') + '\n', key }
}

/** Checks an admin's certificate and key; returns them normalised (PKCS #8 key) or throws TlsImportError. */
export async function validatePair(certText: string, keyText: string, now = Date.now()): Promise<{ cert: string; key: string }> {
  const blocks = pemBlocks(certText)
  if (blocks.length === 0) throw new TlsImportError('the certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)')
  let chain: X509Certificate[]
  try {
    chain = blocks.map((b) => new X509Certificate(b))
  } catch (err) {
    throw new TlsImportError(`the certificate cannot be read: ${(err as Error).message}`)
  }
  let key: KeyObject
  try {
    key = createPrivateKey(keyText)
  } catch {
    throw new TlsImportError(
      'the key file is not an unencrypted PEM private key (decrypt it first, e.g. openssl pkey -in key.pem -out plain.pem)',
    )
  }
  const leaf = chain[0]!
  if (!leaf.checkPrivateKey(key)) throw new TlsImportError('the key does not belong to the certificate (their public keys differ)')
  const weakness = describeKey(leaf.publicKey).weakness
  if (weakness) throw new TlsImportError(`weak key refused: ${weakness}`)
  for (const [i, c] of chain.entries()) {
    if (i > 0 && isSelfSigned(c)) continue // a root's own signature proves nothing either way
    const sig = await signatureOf(blocks[i]!)
    if (!sig.hash || !STRONG_HASHES.has(sig.hash)) {
      const what = i === 0 ? 'the certificate' : `chain certificate ${i + 1}`
      throw new TlsImportError(
        `${what} is signed with ${sig.hash ?? sig.text}; SHA-1 and older are refused — reissue it with SHA-256 or better`,
      )
    }
  }
  if (Date.parse(leaf.validTo) <= now) throw new TlsImportError(`the certificate expired on ${new Date(leaf.validTo).toISOString()}`)
  const pem = { cert: `${blocks.join('\n')}\n`, key: key.export({ format: 'pem', type: 'pkcs8' }) as string }
  try {
    createSecureContext(pem)
  } catch (err) {
    throw new TlsImportError(`TLS refuses this pair: ${(err as Error).message}`)
  }
  return pem
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode })
  chmodSync(tmp, mode)
  renameSync(tmp, file)
}

function store(dataDir: string, pem: { cert: string; key: string }): void {
  const p = tlsPaths(dataDir)
  mkdirSync(p.dir, { recursive: true, mode: 0o700 })
  // Key first: a reader that sees the new certificate also finds its key.
  writeAtomic(p.key, pem.key, 0o600)
  writeAtomic(p.cert, pem.cert, 0o644)
}

export async function readCertificate(dataDir: string): Promise<TlsMaterial | null> {
  const p = tlsPaths(dataDir)
  if (!existsSync(p.cert) || !existsSync(p.key)) return null
  const cert = readFileSync(p.cert, 'utf8')
  const key = readFileSync(p.key, 'utf8')
  return { cert, key, info: await describeCertificate(cert) }
}

/** The stored certificate, generated on first use. */
export async function ensureCertificate(dataDir: string): Promise<TlsMaterial> {
  const existing = await readCertificate(dataDir)
  if (existing) return existing
  store(dataDir, await generateCertificate())
  return (await readCertificate(dataDir))!
}

/** Replaces the certificate with a new self-signed one (the fingerprint changes: gateways must re-pin). */
export async function regenerateCertificate(dataDir: string): Promise<CertificateInfo> {
  store(dataDir, await generateCertificate())
  return (await readCertificate(dataDir))!.info
}

export async function importCertificate(dataDir: string, certText: string, keyText: string): Promise<CertificateInfo> {
  const pem = await validatePair(certText, keyText)
  store(dataDir, pem)
  return describeCertificate(pem.cert)
}

/** Changes when either file is replaced; '' when there is no certificate. */
export function certificateStamp(dataDir: string): string {
  const p = tlsPaths(dataDir)
  try {
    const c = statSync(p.cert)
    const k = statSync(p.key)
    return `${c.ino}:${c.mtimeMs}:${k.ino}:${k.mtimeMs}`
  } catch {
    return ''
  }
}

/** LAN addresses of this machine that the certificate does not name (a pinned gateway does not care). */
export function unnamedAddresses(info: CertificateInfo): string[] {
  const named = new Set(info.sans.filter((s) => s.startsWith('IP:')).map((s) => normalizeIp(s.slice(3))))
  return lanAddresses()
    .filter((a) => !a.internal && !named.has(normalizeIp(a.address)))
    .map((a) => a.address)
}

function normalizeIp(ip: string): string {
  if (!ip.includes(':')) return ip
  // Node prints IPv6 SANs uncompressed; compare by the 8 groups' values.
  const [head = '', tail = ''] = ip.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h
  return groups.map((g) => parseInt(g || '0', 16).toString(16)).join(':')
}
