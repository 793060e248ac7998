// The audit log: every change and acknowledgement, from the desk or the CLI, with who, their role,
// what, before → after (secrets redacted before they get here), when and from where.
import type { Db } from './db'
import type { AuditEntryView } from '../../../shared/audit'
import type { AuditSource, Role } from '../../../shared/command-access'

export interface NewAuditEntry {
  at?: number
  operator: string
  role: Role
  command: string
  source: AuditSource
  outcome: 'done' | 'refused' | 'failed'
  input?: unknown
  before?: unknown
  after?: unknown
  detail?: string | null
}

interface Row {
  id: number
  at: number
  operator: string
  role: Role
  command: string
  source: string
  outcome: 'done' | 'refused' | 'failed'
  input: string | null
  before: string | null
  after: string | null
  detail: string | null
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v))
const parse = (v: string | null): unknown => (v === null ? null : (JSON.parse(v) as unknown))

const view = (r: Row): AuditEntryView => ({
  id: r.id,
  at: new Date(r.at).toISOString(),
  operator: r.operator,
  role: r.role,
  command: r.command,
  source: r.source,
  outcome: r.outcome,
  input: parse(r.input),
  before: parse(r.before),
  after: parse(r.after),
  detail: r.detail,
})

export type AuditLog = ReturnType<typeof createAuditLog>

export function createAuditLog(db: Db) {
  const insert = db.prepare<[number, string, string, string, string, string, string | null, string | null, string | null, string | null]>(
    `INSERT INTO audit_log (at, operator, role, command, source, outcome, input, before, after, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const setAfter = db.prepare<[string | null, number]>('UPDATE audit_log SET after = ? WHERE id = ?')
  const complete = db.prepare<[string, string | null, string | null, number]>(
    'UPDATE audit_log SET outcome = ?, after = ?, detail = ? WHERE id = ?',
  )
  const since = db.prepare<[number, number], Row>('SELECT * FROM audit_log WHERE at >= ? ORDER BY id DESC LIMIT ?')
  return {
    /** Writes the record (call it inside the change's own write, so both commit or neither); its id. */
    add(e: NewAuditEntry): number {
      const { lastInsertRowid } = insert.run(
        e.at ?? Date.now(),
        e.operator.slice(0, 100),
        e.role,
        e.command.slice(0, 200),
        e.source.slice(0, 100),
        e.outcome,
        json(e.input),
        json(e.before),
        json(e.after),
        e.detail?.slice(0, 500) ?? null,
      )
      return Number(lastInsertRowid)
    },
    /** A change made in several writes: each one brings its record's "after" up to date. */
    setAfter(id: number, after: unknown): void {
      setAfter.run(json(after), id)
    },
    /** A change recorded by its first write, finished: how it ended, and what it answered. */
    complete(id: number, e: Pick<NewAuditEntry, 'outcome' | 'after' | 'detail'>): void {
      complete.run(e.outcome, json(e.after), e.detail?.slice(0, 500) ?? null, id)
    },
    /** Newest first. */
    list(sinceMs = 0, limit = 1000): AuditEntryView[] {
      return since.all(sinceMs, limit).map(view)
    },
  }
}
