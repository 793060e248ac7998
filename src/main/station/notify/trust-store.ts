// The certificate authorities HTTPS targets are checked against: the operating system's. Node's
// own bundle is Mozilla's list, which misses a venue's or a company's own CA installed on the OS.
import tls from 'node:tls'
import { readFileSync } from 'node:fs'

export interface TrustStore {
  /** Where the roots came from, for the desk and for tests. */
  source: string
  /** PEM certificates; undefined means Node's bundled roots. */
  ca: string[] | undefined
}

/** Where Linux distributions and macOS keep the system bundle as one PEM file. */
const BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL
  '/etc/ssl/ca-bundle.pem', // openSUSE
  '/etc/ssl/cert.pem', // Alpine, macOS (exported from the keychain)
]

const splitPem = (text: string): string[] => text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []

type GetCa = (type: 'system' | 'default' | 'bundled' | 'extra') => string[]

export function loadSystemTrustStore(bundles: readonly string[] = BUNDLES): TrustStore {
  // Node ≥ 22.15 (and the desk's Electron) reads the OS store itself, Windows and macOS included.
  const getCa = (tls as unknown as { getCACertificates?: GetCa }).getCACertificates
  if (getCa) {
    const system = getCa('system')
    if (system.length > 0) return { source: 'system (tls.getCACertificates)', ca: [...system, ...getCa('extra')] }
  }
  for (const file of bundles) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    const certs = splitPem(text)
    if (certs.length === 0) continue
    const extra = process.env.NODE_EXTRA_CA_CERTS
    const extraCerts = extra ? splitPem(safeRead(extra)) : []
    return { source: file, ca: [...certs, ...extraCerts] }
  }
  return { source: "Node's bundled roots (no system store found)", ca: undefined }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}
