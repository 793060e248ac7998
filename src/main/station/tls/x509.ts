// Loads @peculiar/x509 on first use (its dependency tsyringe needs the Reflect metadata
// polyfill loaded first). Loading lazily keeps station start lean.
import { webcrypto } from 'node:crypto'

type X509 = typeof import('@peculiar/x509')

let loaded: Promise<X509> | undefined

export const nodeCrypto = webcrypto

export function loadX509(): Promise<X509> {
  loaded ??= import('reflect-metadata')
    .then(() => import('@peculiar/x509'))
    .then((x509) => {
      x509.cryptoProvider.set(nodeCrypto)
      return x509
    })
  return loaded
}
