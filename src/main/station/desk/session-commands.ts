// The desk session's own commands: who is at the desk, unlocking and locking admin, and the admin
// passphrase set on first run. Each needs the session its transport made (never from input).
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'
import { adminPassphrase, PassphraseError } from './passphrase'
import { adminUntil, roleOf, MAX_UNLOCK_FAILURES, UNLOCK_LOCKOUT_MS, type DeskSession } from './desk-session'
import type { SessionView } from '../../../shared/contract'

type SessionCommands = Pick<
  DeskCommands,
  'session:get' | 'session:identify' | 'session:unlock-admin' | 'session:lock' | 'session:set-passphrase' | 'audit:list'
>

const need = (session: DeskSession | undefined): DeskSession => {
  if (!session) throw new DeskError('FORBIDDEN', 'No desk session')
  return session
}

export function createSessionDeskCommands({ station }: DeskCommandDeps): SessionCommands {
  const passphrase = adminPassphrase(station.settings, (fn) => station.queue.enqueue(fn))
  const view = (s: DeskSession): SessionView => ({
    id: s.id,
    source: s.source,
    operator: s.operator,
    role: roleOf(s),
    admin_until: adminUntil(s),
    idle_minutes: Math.round(s.idleMs / 60_000),
    passphrase_set: passphrase.isSet(),
  })
  return {
    'session:get': (_input, session) => view(need(session)),
    'session:identify': ({ operator }, session) => {
      const s = need(session)
      // A new name is a new person: whatever the previous one had unlocked is locked again.
      if (s.operator !== operator) s.adminActiveAt = null
      s.operator = operator
      return view(s)
    },
    'session:unlock-admin': async ({ passphrase: given }, session) => {
      const s = need(session)
      const now = Date.now()
      if (now < s.lockedOutUntil) throw new DeskError('WRONG_PASSPHRASE', 'Too many wrong passphrases: wait a minute, then try again')
      if (!passphrase.isSet()) throw new DeskError('WRONG_PASSPHRASE', 'No admin passphrase is set yet: set one first')
      if (!(await passphrase.verify(given))) {
        s.failedUnlocks++
        if (s.failedUnlocks >= MAX_UNLOCK_FAILURES) {
          s.failedUnlocks = 0
          s.lockedOutUntil = now + UNLOCK_LOCKOUT_MS
        }
        throw new DeskError('WRONG_PASSPHRASE', 'That is not the admin passphrase')
      }
      s.failedUnlocks = 0
      s.adminActiveAt = Date.now()
      return view(s)
    },
    'session:lock': (_input, session) => {
      const s = need(session)
      s.adminActiveAt = null
      return view(s)
    },
    // First run only: once set, changing it takes the CLI (`gatehouse admin set-passphrase`) on the station's machine.
    'session:set-passphrase': async ({ passphrase: chosen }, session) => {
      const s = need(session)
      if (passphrase.isSet())
        throw new DeskError('CONFLICT', 'An admin passphrase is already set; change it with `gatehouse admin set-passphrase`')
      try {
        await passphrase.set(chosen)
      } catch (err) {
        if (err instanceof PassphraseError) throw new DeskError('INVALID_INPUT', err.message)
        throw err
      }
      s.adminActiveAt = Date.now()
      return view(s)
    },
    'audit:list': ({ since, limit }) => station.audit.list(since === undefined ? 0 : Date.parse(since), limit),
  }
}
