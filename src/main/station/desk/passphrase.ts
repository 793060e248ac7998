// The admin passphrase: stored only as a scrypt hash with its own random salt (in the store's
// settings, so the desk and the CLI agree), compared in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { SettingsStore } from '../store/settings'

export const MIN_PASSPHRASE_LENGTH = 8
const SETTING = 'admin_passphrase'
// N = 2^15 with r = 8: ~32 MiB and a few tens of ms per try, slow for a guesser, quick for a desk.
const PARAMS = { N: 32768, r: 8, p: 1 } as const
const KEY_LENGTH = 32

export interface StoredPassphrase {
  algorithm: 'scrypt'
  N: number
  r: number
  p: number
  salt: string
  hash: string
  set_at: string
}

export class PassphraseError extends Error {
  override name = 'PassphraseError'
}

function derive(passphrase: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 }
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

export function checkNewPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH)
    throw new PassphraseError(`The admin passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters`)
  if (passphrase.length > 1024) throw new PassphraseError('The admin passphrase must be at most 1,024 characters')
}

export async function hashPassphrase(passphrase: string, now = Date.now()): Promise<StoredPassphrase> {
  checkNewPassphrase(passphrase)
  const salt = randomBytes(16)
  const hash = await derive(passphrase, salt, PARAMS)
  return {
    algorithm: 'scrypt',
    ...PARAMS,
    salt: salt.toString('base64'),
    hash: hash.toString('base64'),
    set_at: new Date(now).toISOString(),
  }
}

export async function verifyPassphrase(passphrase: string, stored: StoredPassphrase): Promise<boolean> {
  if (stored.algorithm !== 'scrypt' || passphrase.length > 1024) return false
  const want = Buffer.from(stored.hash, 'base64')
  const got = await derive(passphrase, Buffer.from(stored.salt, 'base64'), stored)
  return got.length === want.length && timingSafeEqual(got, want)
}

export interface AdminPassphrase {
  isSet(): boolean
  set(passphrase: string): Promise<void>
  verify(passphrase: string): Promise<boolean>
}

/** The passphrase as kept in the store; `write` runs the setting's write (through the commit queue). */
export function adminPassphrase(settings: SettingsStore, write: (fn: () => void) => Promise<void>): AdminPassphrase {
  const stored = (): StoredPassphrase | null => settings.get<StoredPassphrase | null>(SETTING, null)
  return {
    isSet: () => stored() !== null,
    async set(passphrase) {
      const hashed = await hashPassphrase(passphrase)
      await write(() => settings.set(SETTING, hashed))
    },
    async verify(passphrase) {
      const s = stored()
      return s !== null && (await verifyPassphrase(passphrase, s))
    },
  }
}
