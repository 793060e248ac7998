// Station settings from the environment: the documented defaults, and clear errors for bad values.
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { homedir } from 'node:os'
import { DEFAULT_RATE_LIMIT_PER_MINUTE, defaultDataDir, readConfig, resolveSettings } from './config'
import { parseRuntimeSetting } from '../../shared/runtime-settings'

describe('station config', () => {
  it('has the documented defaults', () => {
    const c = readConfig({})
    expect(DEFAULT_RATE_LIMIT_PER_MINUTE).toBe(12_000)
    expect(c).toMatchObject({ rateLimitPerMinute: 12_000, gatewayTimeoutSeconds: 90, syncBodyLimitBytes: 64 * 1024 * 1024 })
    expect(c).toMatchObject({ refusalRateLimitPerMinute: 600, storeMinFreeMb: 512 })
    expect(readConfig({ GATEHOUSE_REFUSAL_RATE_LIMIT_PER_MINUTE: '0', GATEHOUSE_STORE_MIN_FREE_MB: '2048' })).toMatchObject({
      refusalRateLimitPerMinute: 0,
      storeMinFreeMb: 2048,
    })
  })

  it('reads overrides, 0 turning the rate limit off', () => {
    const c = readConfig({
      GATEHOUSE_RATE_LIMIT_PER_MINUTE: '0',
      GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '15',
      GATEHOUSE_SYNC_BODY_LIMIT_MB: '8',
    })
    expect(c).toMatchObject({ rateLimitPerMinute: 0, gatewayTimeoutSeconds: 15, syncBodyLimitBytes: 8 * 1024 * 1024 })
  })

  it('refuses values that are not whole numbers in range, naming the variable', () => {
    expect(() => readConfig({ GATEHOUSE_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/GATEHOUSE_RATE_LIMIT_PER_MINUTE/)
    expect(() => readConfig({ GATEHOUSE_GATEWAY_TIMEOUT_SECONDS: '0' })).toThrow(
      /GATEHOUSE_GATEWAY_TIMEOUT_SECONDS must be a whole number ≥ 1/,
    )
    expect(() => readConfig({ GATEHOUSE_RATE_LIMIT_PER_MINUTE: '1.5' })).toThrow(/whole number/)
  })

  it('takes the environment over the store over the default, saying which; a bad stored value is passed over', () => {
    const r = resolveSettings({ GATEHOUSE_RETENTION_DAYS: '7' }, { retention_days: 14, gateway_timeout_seconds: 45, clock_skew_seconds: 0 })
    expect([r.values.retention_days, r.sources.retention_days]).toEqual([7, 'env'])
    expect([r.values.gateway_timeout_seconds, r.sources.gateway_timeout_seconds]).toEqual([45, 'store'])
    expect([r.values.clock_skew_seconds, r.sources.clock_skew_seconds]).toEqual([300, 'default'])
    expect(readConfig({}, { sync_body_limit_mb: 8 }).syncBodyLimitBytes).toBe(8 * 1024 * 1024)
  })

  it('has one parser for every way in, with a message naming the setting and the value', () => {
    expect(parseRuntimeSetting('gateway_timeout_seconds', ' 45 ')).toEqual({ ok: true, value: 45 })
    expect(parseRuntimeSetting('gateway_timeout_seconds', 45)).toEqual({ ok: true, value: 45 })
    expect(parseRuntimeSetting('retry_window_seconds', '0')).toEqual({ ok: true, value: 0 })
    for (const bad of ['0', '1e3', '1.5', 'soon', '', 2.5, -1, null, true]) {
      const r = parseRuntimeSetting('gateway_timeout_seconds', bad)
      expect(r.ok, String(bad)).toBe(false)
    }
    expect(parseRuntimeSetting('store_max_mb', '8')).toEqual({ ok: false, message: 'store_max_mb must be a whole number ≥ 16 (got "8")' })
    expect(parseRuntimeSetting('retention_days', '99999999999')).toMatchObject({ ok: false, message: expect.stringContaining('≤ 3650') })
    // Each setting has its own ceiling: no value switches a guard off (a body limit of 10⁹ MiB is none).
    expect(parseRuntimeSetting('sync_body_limit_mb', '1024')).toEqual({ ok: true, value: 1024 })
    expect(parseRuntimeSetting('sync_body_limit_mb', '1025')).toEqual({
      ok: false,
      message: 'sync_body_limit_mb must be a whole number ≥ 1 and ≤ 1024 (got "1025")',
    })
    expect(parseRuntimeSetting('gateway_timeout_seconds', 86_401).ok).toBe(false)
  })

  it('keeps headless data in the OS data directory unless told otherwise', () => {
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'gatehouse'))
    expect(defaultDataDir({ XDG_DATA_HOME: '/srv/data' }, 'linux')).toBe('/srv/data/gatehouse')
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Gatehouse'))
    expect(defaultDataDir({ GATEHOUSE_DATA_DIR: '/var/lib/gatehouse' }, 'linux')).toBe('/var/lib/gatehouse')
  })
})
