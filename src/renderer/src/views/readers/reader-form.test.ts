import { describe, expect, it } from 'vitest'
import type { ReaderView } from '../../../../shared/domain'
import { draftOf, parseAntiPassback, parseTypes, sameDraft } from './reader-form'
import { parseReplayWindow } from '../webhooks/replay-window'

const reader = (over: Partial<ReaderView> = {}): ReaderView => ({
  reader_id: 'R1',
  gateway_id: null,
  status: null,
  health: 'unknown',
  last_scan: null,
  last_seen: null,
  project: null,
  enabled: true,
  allowed_types: null,
  anti_passback_seconds: null,
  zone: null,
  direction: 'entry',
  open_windows: null,
  ...over,
})

describe('reader settings as typed', () => {
  it('reads attendee types as a comma list: trimmed, empty parts and duplicates dropped, empty = every type', () => {
    expect(parseTypes(' VIP, , staff,VIP ')).toEqual({ ok: true, value: ['VIP', 'staff'] })
    expect(parseTypes(' , ')).toEqual({ ok: true, value: null })
    expect(parseTypes('x'.repeat(65))).toMatchObject({ ok: false })
    expect(parseTypes(Array.from({ length: 51 }, (_, i) => `t${i}`).join(','))).toMatchObject({ ok: false, error: 'At most 50 types' })
  })

  it('reads anti-passback as whole seconds up to a day; empty or 0 is off', () => {
    expect(parseAntiPassback('')).toEqual({ ok: true, value: null })
    expect(parseAntiPassback('0')).toEqual({ ok: true, value: null })
    expect(parseAntiPassback(' 600 ')).toEqual({ ok: true, value: 600 })
    expect(parseAntiPassback('86401')).toMatchObject({ ok: false })
    for (const bad of ['-5', '1.5', '10s']) expect(parseAntiPassback(bad)).toMatchObject({ ok: false })
  })

  it('shows a reader as its form, and a saved edit equals the station’s view of it', () => {
    const r = reader({
      project: 't/p',
      allowed_types: ['VIP', 'staff'],
      anti_passback_seconds: 30,
      zone: 'Hall',
      direction: 'exit',
      open_windows: '08:00-18:30',
    })
    const shown = {
      project: 't/p',
      types: 'VIP, staff',
      antiPassback: '30',
      zone: 'Hall',
      direction: 'exit' as const,
      hours: '08:00-18:30',
    }
    expect(draftOf(r)).toEqual(shown)
    expect(sameDraft({ ...shown, types: ' VIP, staff ', antiPassback: '30 ', hours: '08:00 - 18:30' }, draftOf(r))).toBe(true)
    expect(sameDraft({ ...shown, direction: 'entry' }, draftOf(r))).toBe(false)
    expect(sameDraft(draftOf(reader()), draftOf(r))).toBe(false)
  })
})

describe('replay window as typed', () => {
  it('accepts whole seconds 1–3600 only', () => {
    expect(parseReplayWindow(' 300 ')).toEqual({ ok: true, value: 300 })
    expect(parseReplayWindow('3600')).toEqual({ ok: true, value: 3600 })
    for (const bad of ['0', '3601', '', '5m', '1.5', '-1']) expect(parseReplayWindow(bad).ok).toBe(false)
  })
})
