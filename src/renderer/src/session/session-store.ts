// Who is at this desk, as the station's session for this connection knows it. The name is asked
// once per tab and remembered there, so a reconnect (a new session at the station) gives it again
// by itself; an admin unlock is never remembered: a new connection starts as an officer.
import { useSyncExternalStore } from 'react'
import type { SessionView } from '../../../shared/contract'
import { call, connection } from '../api/desk'
import { writePreference } from '../store/preferences'

const NAME_KEY = 'gatehouse-operator'
let view: SessionView | null = null
const listeners = new Set<() => void>()
const emit = (next: SessionView | null): void => {
  view = next
  listeners.forEach((l) => l())
}

const rememberedName = (): string | null => {
  try {
    return sessionStorage.getItem(NAME_KEY)
  } catch {
    return null
  }
}

export async function refreshSession(): Promise<void> {
  let current = await call('session:get', {})
  const name = rememberedName()
  if (!current.operator && name) current = await call('session:identify', { operator: name })
  emit(current)
}

export async function identify(operator: string): Promise<void> {
  const next = await call('session:identify', { operator })
  try {
    sessionStorage.setItem(NAME_KEY, next.operator ?? '')
  } catch {
    /* private mode: asked again after a reload */
  }
  // The forms that still show a name field start from this one (the station records the session's anyway).
  writePreference('operator', next.operator ?? '')
  emit(next)
}

export const unlockAdmin = async (passphrase: string): Promise<void> => emit(await call('session:unlock-admin', { passphrase }))
export const setPassphrase = async (passphrase: string): Promise<void> => emit(await call('session:set-passphrase', { passphrase }))
export const lockAdmin = async (): Promise<void> => emit(await call('session:lock', {}))

let started = false
function start(): void {
  if (started) return
  started = true
  const load = (): void => void refreshSession().catch(() => undefined)
  connection.subscribe((connected) => (connected ? load() : emit(null)))
  if (connection.isConnected()) load()
  // The admin unlock lapses at the station: show it when it does.
  setInterval(() => {
    if (view?.admin_until && Date.parse(view.admin_until) <= Date.now()) load()
  }, 5_000)
}

export function useSession(): SessionView | null {
  start()
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => view,
  )
}
