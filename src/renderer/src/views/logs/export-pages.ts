// An export is fetched page by page (the station bounds each call) and joined into one file here.
import type { CommandInput, CommandOutput } from '../../../../shared/contract'

type Page = CommandOutput<'logs:export'>
type Fetch = (input: CommandInput<'logs:export'>) => Promise<Page>

export async function exportAllPages(
  fetchPage: Fetch,
  filter: CommandInput<'logs:export'>['filter'],
  format: 'csv' | 'json',
): Promise<{ filename: string; mime: string; content: string }> {
  const parts: string[] = []
  const rows: unknown[] = []
  let before: string | undefined
  let first: Page | null = null
  for (;;) {
    const page = await fetchPage({ filter: { ...filter, before, limit: undefined }, format })
    first ??= page
    if (format === 'json') rows.push(...(JSON.parse(page.content) as unknown[]))
    else parts.push(page.content)
    if (page.next_before === null) break
    before = page.next_before
  }
  return { filename: first.filename, mime: first.mime, content: format === 'json' ? JSON.stringify(rows, null, 2) : parts.join('') }
}
