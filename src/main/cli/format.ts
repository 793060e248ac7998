// Plain-text tables and relative times for the CLI, and what keeps stored data from steering the
// operator's terminal: names, statuses, reasons and headers come from the network, and a synced
// name holding ESC sequences could clear the screen, retitle the window or fake a line of output.

// C0 controls, DEL, C1 controls; bidi embeddings, overrides and isolates, LRM/RLM/ALM; line and
// paragraph separators.
// eslint-disable-next-line no-control-regex -- the control characters are what it is there to catch
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g
// eslint-disable-next-line no-control-regex -- as above, newline aside
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' }

const escapeChar = (c: string): string => {
  const named = NAMED[c]
  if (named) return named
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * The one escaping of every human-readable CLI output: control characters (C0, DEL, C1, so every
 * ESC sequence), bidi controls and line separators become visible escapes (`\e[2J`, `\u202e`).
 * `keepNewlines` leaves `\n` alone, for whole outputs whose lines the CLI composed itself.
 */
export function terminalSafe(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? CONTROL_BUT_NEWLINE : CONTROL, escapeChar)
}

/**
 * JSON output stays JSON; JSON.stringify already escapes C0, and this escapes what it leaves raw
 * (DEL, C1, bidi controls, separators) as \uXXXX: the same value when parsed, inert in a terminal.
 */
export function jsonSafe(json: string): string {
  return json.replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** A table; every cell is escaped (stored data may hold anything, newlines included). */
export function table(headers: string[], rows: string[][]): string {
  const safeRows = rows.map((r) => r.map((c) => terminalSafe(c)))
  const widths = headers.map((h, i) => Math.max(h.length, ...safeRows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...safeRows.map(line)].join('\n')
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
