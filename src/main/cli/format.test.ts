// What the CLI prints from stored data cannot steer a terminal; JSON output parses to the same text.
import { describe, expect, it } from 'vitest'
import { jsonSafe, table, terminalSafe } from './format'

describe('terminal-safe text', () => {
  it('escapes C0, DEL, C1, bidi controls and separators; keeps everything else, accents and emoji included', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007c\u007fd\u009be\u202ef\u2066g\u2028h\u0000i\tj\nk')).toBe(
      'a\\e[2Jb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\u2028h\\x00i\\tj\\nk',
    )
    expect(terminalSafe('Zoë Ångström 🎟️ 東京')).toBe('Zoë Ångström 🎟️ 東京')
    expect(terminalSafe('line one\nline \u001btwo', { keepNewlines: true })).toBe('line one\nline \\etwo')
  })

  it('JSON keeps its meaning: the escaped text parses back to the exact value', () => {
    const value = { name: 'Eve\u001b]0;x\u0007\u009b\u202e\u2029' }
    const out = jsonSafe(JSON.stringify(value))
    // eslint-disable-next-line no-control-regex -- control characters are what must not get through
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/)
    expect(JSON.parse(out)).toEqual(value)
  })

  it('a table escapes every cell (a newline in stored data cannot fake a row)', () => {
    const text = table(['name', 'status'], [['Eve\nGW-9  online', '\u001b[31mOK']])
    expect(text.split('\n')).toHaveLength(3)
    expect(text).toContain('Eve\\nGW-9  online')
    expect(text).toContain('\\e[31mOK')
  })
})
