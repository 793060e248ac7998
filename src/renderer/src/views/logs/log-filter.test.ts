import { describe, expect, it } from 'vitest'
import { logFilterSchema } from '../../../../shared/log'
import { parseLocalTime, rangeError, toLogFilter } from './log-filter'

describe('the log filter range', () => {
  it('reads 24-hour ISO local times, with or without seconds or a T', () => {
    expect(parseLocalTime('2026-03-10 18:30')).toBe(new Date(2026, 2, 10, 18, 30).getTime())
    expect(parseLocalTime('2026-03-10T18:30:05')).toBe(new Date(2026, 2, 10, 18, 30, 5).getTime())
  })

  it('refuses 12-hour, US-ordered and impossible times', () => {
    for (const bad of [
      '03/10/2026 06:30 PM',
      '2026-03-10 6:30 PM',
      '2026-02-30 10:00',
      '2026-03-10 24:00',
      '2026-03-10 12:60',
      'yesterday',
    ]) {
      expect(parseLocalTime(bad), bad).toBeNull()
    }
  })

  it('says From after To is an error, and which field is malformed', () => {
    expect(rangeError({ since: '2026-03-10 18:00', until: '2026-03-10 17:59' })).toMatch(/From is after To/)
    expect(rangeError({ since: '2026-03-10 18:00', until: '2026-03-10 18:00' })).toBeNull()
    expect(rangeError({ since: '10/03/2026', until: '' })).toMatch(/^From/)
    expect(rangeError({ since: '', until: 'soon' })).toMatch(/^To/)
    expect(rangeError({ since: '', until: '' })).toBeNull()
  })

  it('hands the station ISO with a zone', () => {
    const f = toLogFilter({ endpoint: '', status: '', since: '2026-03-10 18:00', until: '' })
    expect(f.since).toBe(new Date(2026, 2, 10, 18, 0).toISOString())
    expect(f.until).toBeUndefined()
  })

  it('the station refuses since after until too (CLI and desk alike)', () => {
    const r = logFilterSchema.safeParse({ since: '2026-03-10T18:00:00Z', until: '2026-03-10T17:00:00Z' })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0]?.message).toMatch(/since .* after until/)
    expect(logFilterSchema.safeParse({ since: '2026-03-10T17:00:00Z', until: '2026-03-10T18:00:00Z' }).success).toBe(true)
  })
})
