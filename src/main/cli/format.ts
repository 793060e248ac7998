// Plain-text tables and relative times for the CLI.

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** "12 s ago", "3 min ago", "2 h ago", or the date for anything older than a day. */
export function since(isoTime: string, now = Date.now()): string {
  const s = Math.round((now - Date.parse(isoTime)) / 1000)
  if (s < 0) return isoTime
  if (s < 90) return `${s} s ago`
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`
  return isoTime.slice(0, 10)
}
