// Browser mode: the built dashboard and the desk contract over a WebSocket, for a headless box,
// a second screen, and the end-to-end tests. Off loopback, a token printed at start is required.
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import type { WebSocket } from 'ws'
import { WS_PATH, type ClientFrame, type ServerFrame } from '../../../shared/contract'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import { batchEvents } from './event-batcher'
import { runDeskCommand, type DeskCommands } from './commands'

export { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './dashboard-defaults'
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024

export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

export interface DashboardOptions {
  hub: Hub<StationEvents>
  commands: DeskCommands
  host: string
  port: number
  /** The built renderer (out/renderer). */
  rendererDir?: string
  /** Required of WebSocket clients; generated when the host is not loopback. */
  token?: string | null
  flushIntervalMs?: number
}

export interface Dashboard {
  url: string
  token: string | null
  app: FastifyInstance
  close(): Promise<void>
}

export const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host)

/** out/renderer of this checkout, found from this module whether run from src/ (tsx) or out/. */
export function defaultRendererDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'out', 'renderer')
    dir = dirname(dir)
  }
  return join(process.cwd(), 'out', 'renderer')
}

const sameToken = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const rendererDir = options.rendererDir ?? defaultRendererDir()
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the dashboard is not built (${join(rendererDir, 'index.html')} is missing): run npm run build`)
  }
  const token = options.token !== undefined ? options.token : isLoopback(options.host) ? null : randomBytes(16).toString('hex')
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } })
  await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'] })

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    return payload
  })

  app.get(WS_PATH, { websocket: true }, (socket: WebSocket, request) => {
    // A page from another origin must not drive the desk (cross-site WebSocket hijacking).
    const origin = request.headers.origin
    if (origin !== undefined) {
      let originHost = ''
      try {
        originHost = new URL(origin).host
      } catch {
        /* unparsable origin: refused below */
      }
      if (originHost !== request.headers.host) {
        socket.close(1008, 'origin not allowed')
        return
      }
    }
    if (token) {
      const given = new URL(request.url, 'http://x').searchParams.get('token') ?? ''
      if (!sameToken(given, token)) {
        socket.close(1008, 'access token required')
        return
      }
    }
    const send = (frame: ServerFrame): void => {
      if (socket.readyState !== socket.OPEN) return
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'client too slow')
        return
      }
      socket.send(JSON.stringify(frame))
    }
    send({ type: 'hello', version: '1' })
    const stop = batchEvents(options.hub, (events) => send({ type: 'events', events }), options.flushIntervalMs)
    socket.on('message', (data) => {
      let frame: ClientFrame
      try {
        frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')) as ClientFrame
      } catch {
        return
      }
      if (frame?.type !== 'call' || typeof frame.id !== 'number') return
      void runDeskCommand(options.commands, frame.command, frame.input).then((result) => send({ type: 'result', id: frame.id, result }))
    })
    socket.on('close', stop)
    socket.on('error', stop)
  })

  await app.listen({ host: options.host, port: options.port })
  const port = (app.server.address() as AddressInfo).port
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host
  const url = `http://${hostForUrl}:${port}/${token ? `?token=${token}` : ''}`
  return { url, token, app, close: () => app.close() }
}
