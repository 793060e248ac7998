// Secrets at rest in headless mode, and the rotation grace period as a gateway sees it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from './station'
import { createSecretStore } from './secrets'
import { signatureHeaderValue } from './receiver/signature'
import { createDeskCommands, runDeskCommand } from './desk/commands'
import type { StationSettingsView } from '../../shared/station-settings'

let dir: string
let station: Station | undefined
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-secrets-'))
})
afterEach(async () => {
  await station?.close()
  station = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('secrets', () => {
  it('are kept in a 0600 file, before and after a rotation', () => {
    const store = createSecretStore({ dataDir: dir, env: {} })
    store.load()
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
    const before = store.info('access-event').secret
    store.rotate('access-event')
    expect(statSync(store.file).mode & 0o777).toBe(0o600)
    const text = readFileSync(store.file, 'utf8')
    expect(text).toContain(store.info('access-event').secret)
    expect(text).toContain(before) // still needed during the grace period
  })

  it('accept the previous secret during the grace period and not after it', async () => {
    station = await createStation({ dataDir: dir, env: {} })
    const { port } = await station.listen('127.0.0.1', 0)
    const body = '{"gateway_id":"GW-ROT","status":"online"}'
    const post = async (key: string): Promise<number> =>
      (
        await fetch(`http://127.0.0.1:${port}/webhook/v1/mqtt-gateway-status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
          body,
        })
      ).status

    const old = station.secrets.info('mqtt-gateway-status').secret
    const info = station.secrets.rotate('mqtt-gateway-status', 400)
    expect(Date.parse(info.previous_valid_until!) - Date.now()).toBeGreaterThan(300)
    expect(await post(old)).toBe(200)
    expect(await post(info.secret)).toBe(200)

    await new Promise((r) => setTimeout(r, Date.parse(info.previous_valid_until!) - Date.now() + 50))
    expect(await post(old)).toBe(401)
    expect(await post(info.secret)).toBe(200)
    expect(station.secrets.info('mqtt-gateway-status').previous_valid_until).toBeNull()
  })

  it('show the desk how they are stored and the default grace period', async () => {
    station = await createStation({ dataDir: dir, env: {} })
    const desk = createDeskCommands({ station, receiverUrls: () => [] })
    const r = (await runDeskCommand(desk, 'station:settings', {})) as { ok: true; value: StationSettingsView }
    expect(r.value.secrets).toEqual({ sealed_with: 'plain', file: join(dir, 'secrets.json'), warning: null, default_grace_hours: 24 })
    const rotated = await runDeskCommand(desk, 'secret:rotate', { endpoint: 'cvent', grace_hours: 24 })
    expect(rotated).toMatchObject({
      ok: true,
      value: { previous_valid_until: expect.any(String), masked: expect.stringMatching(/^.{4}•{8}.{4}$/) },
    })
  })

  it('are 64 hex characters generated once, and kept across restarts', () => {
    const store = createSecretStore({ dataDir: dir, env: {} })
    store.load()
    const first = store.info('cvent').secret
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(
      new Set(['mqtt-gateway-status', 'access-event', 'cvent', 'attendee-sync'].map((e) => store.info(e as 'cvent').secret)).size,
    ).toBe(4)
    const again = createSecretStore({ dataDir: dir, env: {} })
    again.load()
    expect(again.info('cvent').secret).toBe(first)
  })

  it('come from GATEHOUSE_SECRET for every source, GATEHOUSE_SECRET_<SOURCE> winning for its own', async () => {
    const env = { GATEHOUSE_SECRET: 'venue-wide', GATEHOUSE_SECRET_ACCESS_EVENT: 'doors-only' }
    station = await createStation({ dataDir: dir, env })
    expect(station.secrets.info('access-event')).toMatchObject({
      origin: 'env',
      env_var: 'GATEHOUSE_SECRET_ACCESS_EVENT',
      secret: 'doors-only',
    })
    expect(station.secrets.info('cvent')).toMatchObject({ origin: 'env', env_var: 'GATEHOUSE_SECRET', secret: 'venue-wide' })
    const send = (endpoint: string, secret: string, body: string) =>
      station!.receiver.inject({
        method: 'POST',
        url: `/webhook/v1/${endpoint}`,
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', secret, body) },
        payload: body,
      })
    const status = '{"gateway_id":"GW-1","status":"online"}'
    const scan = '{"reader_id":"R1","credential_value":"X"}'
    expect((await send('mqtt-gateway-status', 'venue-wide', status)).statusCode).toBe(200)
    expect((await send('access-event', 'doors-only', scan)).statusCode).toBe(200)
    expect((await send('access-event', 'venue-wide', scan)).statusCode).toBe(401)
    // The stored secret no longer verifies, and rotating one set in the environment is refused.
    const stored = JSON.parse(JSON.parse(readFileSync(station.secrets.file, 'utf8')).data).sources['mqtt-gateway-status'].current
      .secret as string
    expect((await send('mqtt-gateway-status', stored, status)).statusCode).toBe(401)
    expect(() => station!.secrets.rotate('access-event')).toThrow(/GATEHOUSE_SECRET_ACCESS_EVENT/)
  })
})
