// The `credential_conflict` alert: one per project while any of its credentials is claimed by more
// than one person, naming them; resolved when the last of them is resolved.
import type { AlertView, CredentialConflictView } from '../../../shared/domain'
import type { Alerts } from './alerts'
import type { CredentialConflicts } from './credential-conflicts'

const SHOWN = 5

export function conflictMessage(project: string, open: CredentialConflictView[]): string {
  const each = open
    .slice(0, SHOWN)
    .map((c) => `${c.credential} (${c.holders.map((h) => (h.kind === 'attendee' ? h.id : `Cvent registration ${h.id}`)).join(', ')})`)
  const more = open.length > SHOWN ? `, and ${open.length - SHOWN} more` : ''
  const n = open.length === 1 ? '1 credential' : `${open.length} credentials`
  return (
    `${n} in ${project} ${open.length === 1 ? 'is' : 'are'} claimed by more than one person and denied to all of them until an admin ` +
    `says whose ${open.length === 1 ? 'it is' : 'each is'}: ${each.join('; ')}${more}. Resolve with \`gatehouse credentials resolve\` or in the Attendees view.`
  )
}

export type ConflictAlerts = ReturnType<typeof createConflictAlerts>

export function createConflictAlerts(alerts: Alerts, conflicts: CredentialConflicts, projectName: (id: number) => string | null) {
  return {
    /** Raises or resolves the project's alert to match its open conflicts (inside the write). */
    update(projectId: number, at: number): AlertView | undefined {
      const project = projectName(projectId) ?? String(projectId)
      const open = conflicts.openIn(projectId)
      if (open.length === 0) return alerts.resolve('credential_conflict', project, at)
      return alerts.raise('credential_conflict', project, conflictMessage(project, open), at)
    },
  }
}
