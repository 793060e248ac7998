// Loads @peculiar/x509 on first use. Its dependency tsyringe refuses to load without a Reflect
// metadata polyfill; it only stores and reads decorator metadata, so a WeakMap-backed minimum is
// enough (a real polyfill loaded earlier is left alone). Loading lazily keeps station start lean.
import { webcrypto } from 'node:crypto'

type X509 = typeof import('@peculiar/x509')

type Metadata = Map<unknown, unknown>
interface ReflectMetadata {
  getMetadata?: (key: unknown, target: object) => unknown
  getOwnMetadata?: (key: unknown, target: object) => unknown
  defineMetadata?: (key: unknown, value: unknown, target: object) => void
}

function installReflectMetadata(): void {
  const reflect = Reflect as unknown as ReflectMetadata
  if (reflect.getMetadata) return
  const store = new WeakMap<object, Metadata>()
  reflect.getOwnMetadata = (key, target) => store.get(target)?.get(key)
  reflect.defineMetadata = (key, value, target) => {
    let own = store.get(target)
    if (!own) store.set(target, (own = new Map()))
    own.set(key, value)
  }
  reflect.getMetadata = (key, target) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const own = store.get(t)
      if (own?.has(key)) return own.get(key)
    }
    return undefined
  }
}

let loaded: Promise<X509> | undefined

export const nodeCrypto = webcrypto

export function loadX509(): Promise<X509> {
  installReflectMetadata()
  loaded ??= import('@peculiar/x509').then((x509) => {
    x509.cryptoProvider.set(nodeCrypto)
    return x509
  })
  return loaded
}
