// A desk session: one browser-mode WebSocket connection or one Electron window. It carries the
// operator's name (asked once) and the role: officer, or admin while unlocked with the passphrase
// and used within the idle timeout.
import { randomBytes } from 'node:crypto'
import type { AuditSource, Role } from '../../../shared/command-access'

export const DEFAULT_ADMIN_IDLE_MINUTES = 10
/** Wrong passphrases a session may try before it must wait. */
export const MAX_UNLOCK_FAILURES = 5
export const UNLOCK_LOCKOUT_MS = 60_000

export interface DeskSession {
  readonly id: string
  readonly source: AuditSource
  readonly idleMs: number
  operator: string | null
  /** The last admin command (or the unlock); null while locked. */
  adminActiveAt: number | null
  failedUnlocks: number
  lockedOutUntil: number
}

export class AdminIdleError extends Error {
  override name = 'AdminIdleError'
}

/** GATEHOUSE_ADMIN_IDLE_MINUTES (1–1440), else 10 minutes. */
export function adminIdleMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.GATEHOUSE_ADMIN_IDLE_MINUTES?.trim()
  if (!raw) return DEFAULT_ADMIN_IDLE_MINUTES * 60_000
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < 1 || n > 1440)
    throw new AdminIdleError(`GATEHOUSE_ADMIN_IDLE_MINUTES must be a whole number of minutes from 1 to 1440 (got "${raw.slice(0, 20)}")`)
  return n * 60_000
}

export function createDeskSession(kind: 'electron' | 'browser', options: { idleMs?: number } = {}): DeskSession {
  const id = randomBytes(6).toString('hex')
  return {
    id,
    source: kind === 'electron' ? 'electron' : `desk:${id}`,
    idleMs: options.idleMs ?? DEFAULT_ADMIN_IDLE_MINUTES * 60_000,
    operator: null,
    adminActiveAt: null,
    failedUnlocks: 0,
    lockedOutUntil: 0,
  }
}

/** Admin while unlocked and used within the idle timeout; an expired unlock is dropped here. */
export function roleOf(session: DeskSession, now = Date.now()): Role {
  if (session.adminActiveAt !== null && now - session.adminActiveAt < session.idleMs) return 'admin'
  session.adminActiveAt = null
  return 'officer'
}

/** When the admin unlock lapses if unused (ISO), or null while an officer. */
export function adminUntil(session: DeskSession, now = Date.now()): string | null {
  return roleOf(session, now) === 'admin' ? new Date(session.adminActiveAt! + session.idleMs).toISOString() : null
}
