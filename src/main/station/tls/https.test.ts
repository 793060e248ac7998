// The station over HTTPS, as a gateway that pins the certificate's SHA-256 fingerprint sees it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { request as httpsRequest } from 'node:https'
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStation, type Station } from '../station'
import { signatureHeaderValue } from '../receiver/signature'
import { createDeskCommands, runDeskCommand } from '../desk/commands'
import { tlsPaths } from './certificate'
import { commands, type CommandContext } from '../../cli/commands'
import type { StationSettingsView } from '../../../shared/station-settings'

let dir: string
let station: Station

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-https-'))
})
afterEach(async () => {
  await station?.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  status: number
  body: string
  fingerprint: string
}

/**
 * A gateway's POST over HTTPS. With a fingerprint it trusts only this certificate and checks the
 * fingerprint instead of the host name; without one, Node's usual host-name check applies.
 */
function post(url: string, body: string, key: string, pin: { fingerprint?: string; ca?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, body) },
        ca: pin.ca,
        agent: false,
        checkServerIdentity: pin.fingerprint
          ? (_host: string, cert: PeerCertificate) =>
              cert.fingerprint256 === pin.fingerprint ? undefined : new Error(`pinned ${pin.fingerprint}, got ${cert.fingerprint256}`)
          : checkServerIdentity,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            fingerprint: (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const status = '{"gateway_id":"GW-TLS","status":"online"}'

describe('HTTPS listener', () => {
  it('answers a client that pins the fingerprint, through the same pipeline as plain HTTP', async () => {
    station = await createStation({ dataDir: dir })
    const bound = await station.start({ host: '127.0.0.1', httpPort: 0, httpsPort: 0 })
    expect(bound.http).not.toBeNull()
    const cert = station.certificate()!
    const ca = readFileSync(tlsPaths(dir).cert, 'utf8')
    const url = `https://127.0.0.1:${bound.https!.port}/webhook/v1/mqtt-gateway-status`
    const key = station.secrets.info('mqtt-gateway-status').secret

    const ok = await post(url, status, key, { fingerprint: cert.fingerprint_sha256, ca })
    expect(ok).toMatchObject({ status: 200, body: '{"success":true,"message":"Status updated"}', fingerprint: cert.fingerprint_sha256 })
    const bad = await post(url, status, 'wrong-secret', { fingerprint: cert.fingerprint_sha256, ca })
    expect(bad.status).toBe(401)
    expect(JSON.parse(bad.body)).toEqual({ error: 'Invalid signature', message: 'The request signature does not match' })
    await new Promise((r) => setTimeout(r, 50)) // refusals are logged after the answer
    expect(station.log.query({ endpoint: 'mqtt-gateway-status' }).map((e) => [e.status, e.reason])).toEqual([
      [401, 'signature mismatch'],
      [200, null],
    ])

    // The pin is what protects: another fingerprint is refused, and so is an unpinned, untrusting client.
    await expect(post(url, status, key, { fingerprint: 'AA:BB', ca })).rejects.toThrow(/pinned AA:BB/)
    await expect(post(url, status, key, { fingerprint: cert.fingerprint_sha256 })).rejects.toThrow(/self[- ]signed/i)
    // A client that trusts the certificate and checks host names accepts it for these names too.
    for (const host of ['127.0.0.1', 'localhost']) {
      expect((await post(url.replace('127.0.0.1', host), status, key, { ca })).status).toBe(200)
    }
  })

  it('turns plain HTTP off and on from the desk while HTTPS keeps serving', async () => {
    station = await createStation({ dataDir: dir })
    const bound = await station.start({ host: '127.0.0.1', httpPort: 0, httpsPort: 0 })
    const desk = createDeskCommands({ station, receiverUrls: () => [] })
    const httpUrl = `http://127.0.0.1:${bound.http!.port}/webhook/v1/mqtt-gateway-status`
    const key = station.secrets.info('mqtt-gateway-status').secret
    const plain = (): Promise<number> =>
      fetch(httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-gxp-signature': signatureHeaderValue('gxp', key, status), connection: 'close' },
        body: status,
      }).then((r) => r.status)

    expect(await plain()).toBe(200)
    const off = await runDeskCommand(desk, 'http:set', { enabled: false })
    expect(off).toMatchObject({ ok: true, value: { http_enabled: false, http_urls: [] } })
    await expect(plain()).rejects.toThrow()
    const settings = (await runDeskCommand(desk, 'station:settings', {})) as { ok: true; value: StationSettingsView }
    expect(settings.value.tls).toMatchObject({
      fingerprint_sha256: station.certificate()!.fingerprint_sha256,
      https_port: bound.https!.port,
      origin: 'generated',
    })
    expect(settings.value.tls!.https_urls).toEqual([`https://127.0.0.1:${bound.https!.port}`])
    const list = (await runDeskCommand(desk, 'webhooks:list', {})) as {
      ok: true
      value: Array<{ endpoint: string; https_urls: string[]; replay_guard: unknown }>
    }
    expect(list.value.find((v) => v.endpoint === 'cvent')).toMatchObject({
      https_urls: [`https://127.0.0.1:${bound.https!.port}/webhook/v1/cvent`],
      replay_guard: { enabled: false, window_seconds: 300 },
    })
    const pinned = { fingerprint: station.certificate()!.fingerprint_sha256, ca: readFileSync(tlsPaths(dir).cert, 'utf8') }
    expect((await post(`https://127.0.0.1:${bound.https!.port}/webhook/v1/mqtt-gateway-status`, status, key, pinned)).status).toBe(200)

    expect(await runDeskCommand(desk, 'http:set', { enabled: true })).toMatchObject({ ok: true, value: { http_enabled: true } })
    expect(await plain()).toBe(200)
  })

  it('never switches plain HTTP off while HTTPS is not listening', async () => {
    station = await createStation({ dataDir: dir })
    await station.listen('127.0.0.1', 0)
    const desk = createDeskCommands({ station, receiverUrls: () => [] })
    expect(await runDeskCommand(desk, 'http:set', { enabled: false })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    await expect(station.start({ host: '127.0.0.1', httpPort: 0, httpsPort: null, http: false })).rejects.toThrow(
      /nothing would receive webhooks/,
    )
  })

  it('serves a certificate imported with the CLI within a second, without a restart', async () => {
    station = await createStation({ dataDir: dir, watchIntervalMs: 100 })
    const bound = await station.start({ host: '127.0.0.1', httpPort: 0, httpsPort: 0, http: false })
    expect(bound.http).toBeNull()
    const url = `https://127.0.0.1:${bound.https!.port}/webhook/v1/mqtt-gateway-status`
    const key = station.secrets.info('mqtt-gateway-status').secret
    const certFile = join(dir, 'admin.crt')
    const keyFile = join(dir, 'admin.key')
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-sha256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '30',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    )
    const out: string[] = []
    const ctx: CommandContext = {
      args: ['import'],
      values: { cert: certFile, key: keyFile },
      dataDir: dir,
      json: true,
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    }
    expect(await commands.tls!(ctx)).toBe(0)
    const imported = JSON.parse(out.join('')) as { fingerprint_sha256: string; origin: string }
    expect(imported.origin).toBe('imported')

    const deadline = Date.now() + 1000
    while (station.certificate()!.fingerprint_sha256 !== imported.fingerprint_sha256 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    const answer = await post(url, status, key, { fingerprint: imported.fingerprint_sha256, ca: readFileSync(certFile, 'utf8') })
    expect(answer).toMatchObject({ status: 200, fingerprint: imported.fingerprint_sha256 })
  })
})
