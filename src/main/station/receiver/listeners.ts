// The receiver's two listeners. Plain HTTP is Fastify's own server; HTTPS is a second node server
// that hands every request to the same app (`app.routing`), so both share one pipeline, one rate
// limiter and one set of hooks. HTTP can be switched off and on while the station runs; a new
// certificate in the data directory is picked up without a restart.
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { certificateStamp, ensureCertificate, readCertificate, type CertificateInfo } from '../tls/certificate'
import { checkingIntervalMs } from './app'

export const DEFAULT_HTTPS_PORT = 8443

export interface Bound {
  host: string
  port: number
}

export interface Listeners {
  startHttp(host: string, port: number, enabled: boolean): Promise<Bound | null>
  /** Closes or reopens plain HTTP (on the address it was started with). */
  setHttpEnabled(enabled: boolean): Promise<void>
  startHttps(host: string, port: number): Promise<Bound>
  bound(): { http: Bound | null; https: Bound | null }
  certificate(): CertificateInfo | null
  /** Re-reads the certificate when its files changed; true when a new one is in use. */
  reloadCertificateIfChanged(): Promise<boolean>
  close(): Promise<void>
}

function listenOn(server: HttpsServer | FastifyInstance['server'], host: string, port: number): Promise<Bound> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve({ host, port: (server.address() as AddressInfo).port })
    })
  })
}

export function createListeners(app: FastifyInstance, dataDir: string): Listeners {
  let http: { host: string; port: number; listening: boolean } | null = null
  let https: { server: HttpsServer; bound: Bound } | null = null
  let cert: CertificateInfo | null = null
  let stamp = ''

  return {
    async startHttp(host, port, enabled) {
      http = { host, port, listening: false }
      if (!enabled) return null
      await app.listen({ host, port })
      http.port = (app.server.address() as AddressInfo).port
      http.listening = true
      return { host, port: http.port }
    },

    async setHttpEnabled(enabled) {
      if (!http || http.listening === enabled) return
      if (!enabled) {
        http.listening = false
        app.server.close() // no new connections; requests in flight finish
        app.server.closeIdleConnections()
        return
      }
      await app.ready()
      const bound = await listenOn(app.server, http.host, http.port)
      http.port = bound.port
      http.listening = true
    },

    async startHttps(host, port) {
      if (https) throw new Error('the HTTPS listener is already running')
      await app.ready()
      const material = await ensureCertificate(dataDir)
      stamp = certificateStamp(dataDir)
      cert = material.info
      const plain = app.server
      const server = createHttpsServer(
        {
          cert: material.cert,
          key: material.key,
          minVersion: 'TLSv1.2',
          handshakeTimeout: plain.headersTimeout || 10_000,
          // As on the plain listener: without it a trickling body outlives its timeout by up to 30 s.
          connectionsCheckingInterval: checkingIntervalMs({
            headersMs: plain.headersTimeout,
            requestMs: plain.requestTimeout,
            keepAliveMs: plain.keepAliveTimeout,
          }),
        },
        (req, res) => app.routing(req, res),
      )
      // The same limits as the plain listener, whatever they are set to.
      server.headersTimeout = plain.headersTimeout
      server.requestTimeout = plain.requestTimeout
      server.keepAliveTimeout = plain.keepAliveTimeout
      server.timeout = plain.timeout
      server.maxHeadersCount = plain.maxHeadersCount
      server.maxRequestsPerSocket = plain.maxRequestsPerSocket
      for (const l of plain.listeners('clientError')) server.on('clientError', l as (...args: unknown[]) => void)
      // As on the plain listener: `100 Continue` is the receiver's to send (see app.ts), not Node's.
      server.on('checkContinue', (req, res) => app.routing(req, res))
      https = { server, bound: await listenOn(server, host, port) }
      return https.bound
    },

    bound: () => ({ http: http?.listening ? { host: http.host, port: http.port } : null, https: https?.bound ?? null }),
    certificate: () => cert,

    async reloadCertificateIfChanged() {
      if (!https) return false
      const now = certificateStamp(dataDir)
      if (now === stamp || now === '') return false
      const material = await readCertificate(dataDir)
      if (!material) return false
      // A half-written pair (key replaced, certificate not yet) throws here; the next tick retries.
      https.server.setSecureContext({ cert: material.cert, key: material.key, minVersion: 'TLSv1.2' })
      stamp = now
      cert = material.info
      return true
    },

    async close() {
      const s = https?.server
      https = null
      if (s) {
        await new Promise<void>((resolve) => {
          s.close(() => resolve())
          s.closeIdleConnections()
          // Requests in flight get a moment to finish; then their sockets go too.
          setTimeout(() => s.closeAllConnections(), 2000).unref()
        })
      }
      // HTTP reopened by setHttpEnabled is unknown to Fastify's close: drop its idle sockets here.
      if (http?.listening) app.server.closeIdleConnections()
    },
  }
}
