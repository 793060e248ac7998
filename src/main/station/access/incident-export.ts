// The incident export: every alert open at any time in a range, with its notes history, as JSON
// (alerts with their notes) or CSV (one line per history entry, the alert's columns repeated),
// for the shift report or an insurer. Used by the desk and `gatehouse alerts export`.
import type { AlertView } from '../../../shared/domain'
import type { AlertNoteView } from '../../../shared/alerts'

type Incident = AlertView & { notes: AlertNoteView[] }

const ALERT_FIELDS = [
  'id',
  'priority',
  'kind',
  'severity',
  'subject',
  'state',
  'raised_at',
  'resolved_at',
  'resolved_by',
  'occurrences',
  'message',
] as const
const NOTE_FIELDS = ['at', 'by', 'action', 'note'] as const

/** Quoted when needed; a cell starting like a spreadsheet formula is neutralised (the text comes from the venue's senders). */
export const csvCell = (v: string | number | boolean | null | undefined): string => {
  const s = v === null || v === undefined ? '' : String(v)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function exportIncidents(
  incidents: Incident[],
  range: { since: string; until: string },
  format: 'csv' | 'json',
): { filename: string; mime: string; content: string } {
  const name = `gatehouse-incidents-${range.since.slice(0, 19)}-${range.until.slice(0, 19)}`.replace(/[:.]/g, '-')
  if (format === 'json') {
    return { filename: `${name}.json`, mime: 'application/json', content: JSON.stringify({ ...range, alerts: incidents }, null, 2) }
  }
  const header = [...ALERT_FIELDS, ...NOTE_FIELDS.map((f) => `note_${f}`)].join(',')
  const lines = [header]
  for (const a of incidents) {
    const cells = ALERT_FIELDS.map((f) => csvCell(a[f]))
    const notes = a.notes.length > 0 ? a.notes : [null]
    for (const n of notes) lines.push([...cells, ...NOTE_FIELDS.map((f) => csvCell(n ? n[f] : null))].join(','))
  }
  return { filename: `${name}.csv`, mime: 'text/csv', content: `${lines.join('\r\n')}\r\n` }
}
