// The audit log as the desk and `gatehouse audit --json` show it.
import type { Role } from './command-access'

export interface AuditEntryView {
  id: number
  /** ISO 8601. */
  at: string
  operator: string
  role: Role
  command: string
  /** 'electron', 'cli' or 'desk:<session id>'. */
  source: string
  outcome: 'done' | 'refused' | 'failed'
  /** JSON values with every secret replaced by "[redacted]". */
  input: unknown
  before: unknown
  after: unknown
  detail: string | null
}

export const REDACTED = '[redacted]'

/** Keys whose values are never written to the audit log, at any depth. */
const SECRET_KEY = /secret|passphrase|password|token|^key$|private|signature|masked/i

/** A copy of `value` safe for the audit log: secret-named fields redacted, long strings cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]'
  if (typeof value === 'string') return value.length > 2000 ? `${value.slice(0, 2000)}…` : value
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redact(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v, depth + 1)
    return out
  }
  return value
}
