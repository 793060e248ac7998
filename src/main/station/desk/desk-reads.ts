// The reads that run on the desk reader thread, written once for it and for the in-process path.
import type { WebhookLogStore } from '../store/webhook-log'
import type { CommandInput } from '../../../shared/contract'
import { exportLogs } from './log-export'

/** Commands heavy enough to be worth a thread: a page of up to 1,000 entries, an export page. */
export const READER_COMMANDS = ['logs:query', 'logs:export'] as const
export type ReaderCommand = (typeof READER_COMMANDS)[number]
export const isReaderCommand = (name: string): name is ReaderCommand => (READER_COMMANDS as readonly string[]).includes(name)

/** `lane`: the calling desk (0 for none); the reader thread serves the lanes in turn. */
export type ReaderRequest =
  | { id: number; lane?: number; command: 'logs:query'; input: CommandInput<'logs:query'> }
  | { id: number; lane?: number; command: 'logs:export'; input: CommandInput<'logs:export'> & { filter: { limit: number } } }

export function runReaderCommand(log: Pick<WebhookLogStore, 'query'>, request: ReaderRequest): unknown {
  if (request.command === 'logs:query') return log.query(request.input)
  const { filter, format } = request.input
  // One more than the page tells whether there is a next page without a second query.
  const rows = log.query({ ...filter, limit: filter.limit + 1 })
  const page = rows.slice(0, filter.limit)
  const next = rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null
  return { ...exportLogs(page, format, filter.before === undefined), rows: page.length, next_before: next }
}
