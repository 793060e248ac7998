// Browser mode: the built dashboard and the desk contract over a WebSocket, for a headless box,
// a second screen, and the end-to-end tests. It answers only to the station's own names, only to
// the holder of the token printed at start (then its cookie), and never lets one desk stall a gate.
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyWebsocket from '@fastify/websocket'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AddressInfo } from 'node:net'
import type { WebSocket } from 'ws'
import { SESSION_PATH, WS_PATH, type ClientFrame, type ServerFrame } from '../../../shared/contract'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import { fanOutEvents } from './event-batcher'
import type { DeskCommands } from './commands'
import type { Station } from '../station'
import { createDeskSession } from './desk-session'
import { runAsSession, type DeskGuard } from './session-run'
import { stationNames, hostOfHeader } from './dashboard-names'
import { checkGivenToken, deskAccess, generateToken, TOKEN_REQUIRED_PAGE } from './dashboard-access'
import { RawJson, startDeskReader, withReader, type DeskReader } from './desk-reader'
import { createDeskScheduler, type DeskSchedulerOptions } from './desk-scheduler'

export { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './dashboard-defaults'
/** Unsent output one client may hold at the station before it is disconnected as too slow. */
export const MAX_CLIENT_BUFFERED_BYTES = 8 * 1024 * 1024
/** Unsent output over all clients; past it, the client whose frame would add to it is disconnected. */
export const MAX_TOTAL_BUFFERED_BYTES = 64 * 1024 * 1024

const RESULT_TAIL = Buffer.from('}}')

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
  /** Each connection is a desk session run against this station (roles, audit). */
  station: Station
  /** An unused admin unlock lapses after this long (GATEHOUSE_ADMIN_IDLE_MINUTES). */
  adminIdleMs?: number
  host: string
  port: number
  /** The built renderer (out/renderer). */
  rendererDir?: string
  /** The access token (GATEHOUSE_DASHBOARD_TOKEN); generated when not given. Required on loopback too. */
  token?: string
  /** Names the dashboard answers to beyond loopback, this machine's addresses and host name. */
  names?: readonly string[]
  flushIntervalMs?: number
  /** The store file: heavy reads then run on a thread with a read-only connection of their own. */
  readerFile?: string
  limits?: DeskSchedulerOptions & { clientBufferedBytes?: number; totalBufferedBytes?: number }
}

export interface Dashboard {
  /** The address to open, with the token (exchanged for a cookie on first load). */
  url: string
  token: string
  app: FastifyInstance
  /** WebSocket clients connected now. */
  clients(): number
  /** Whether a reader thread is running now (false without a readerFile: reads then run in-process). */
  readsOnThread(): boolean
  /** The reader thread's handle (null without a readerFile). */
  reader: DeskReader | null
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

/** Closes a client that cannot keep up, saying why, and drops it if it cannot even take the close frame. */
function disconnect(socket: WebSocket, reason: string): void {
  socket.close(1013, reason)
  setTimeout(() => socket.terminate(), 1_000).unref()
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const rendererDir = options.rendererDir ?? defaultRendererDir()
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`the dashboard is not built (${join(rendererDir, 'index.html')} is missing): run npm run build`)
  }
  const access = deskAccess(options.token !== undefined ? checkGivenToken(options.token) : generateToken())
  const names = stationNames({ bindHost: options.host, extra: options.names })
  const scheduler = createDeskScheduler(options.limits)
  const clientCap = options.limits?.clientBufferedBytes ?? MAX_CLIENT_BUFFERED_BYTES
  const totalCap = options.limits?.totalBufferedBytes ?? MAX_TOTAL_BUFFERED_BYTES
  const sockets = new Set<WebSocket>()
  let port = options.port
  const reader = options.readerFile ? startDeskReader(options.readerFile) : null
  const commands = reader ? withReader(options.commands, reader) : options.commands
  const events = fanOutEvents(
    options.hub,
    (batch) => JSON.stringify({ type: 'events', events: batch } satisfies ServerFrame),
    options.flushIntervalMs,
  )

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 })
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } })

  // Before anything is served (page, asset, socket): the right name, then the credential.
  app.addHook('onRequest', async (request, reply) => {
    if (!names.accepts(request.headers.host)) {
      const asked = (hostOfHeader(request.headers.host) ?? 'no valid Host').slice(0, 100)
      return reply
        .code(421)
        .type('text/plain; charset=utf-8')
        .send(`This Gatehouse station does not answer to "${asked}". Open it by its own address (add a name with --dashboard-name).\n`)
    }
    const url = new URL(request.url, 'http://station')
    const isSocket = url.pathname === WS_PATH
    if (isSocket) {
      // A page of another origin must not drive the desk, whatever name it reached us by.
      const origin = request.headers.origin
      if (origin !== undefined) {
        let originHost: string | null = null
        try {
          originHost = new URL(origin).host
        } catch {
          /* unparsable: refused below */
        }
        if (originHost === null || originHost !== request.headers.host?.toLowerCase() || !names.accepts(originHost)) {
          return reply.code(403).type('text/plain; charset=utf-8').send('origin not allowed\n')
        }
      }
    }
    const given = url.searchParams.get('token')
    if (given !== null) {
      if (!access.tokenMatches(given)) return reply.code(401).type('text/html; charset=utf-8').send(TOKEN_REQUIRED_PAGE)
      // A script (not a browser) may use the token as it is; a page trades it for the cookie.
      if (isSocket) return
      url.searchParams.delete('token')
      return reply.code(303).header('set-cookie', access.setCookie(port)).header('location', `${url.pathname}${url.search}`).send()
    }
    if (access.cookieMatches(request.headers.cookie, port)) return
    if (isSocket || url.pathname === SESSION_PATH) return reply.code(401).type('text/plain; charset=utf-8').send('access token required\n')
    return reply.code(401).type('text/html; charset=utf-8').send(TOKEN_REQUIRED_PAGE)
  })

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('cache-control', 'no-store')
    return payload
  })

  await app.register(fastifyStatic, { root: rendererDir, index: ['index.html'] })

  // The renderer asks here after losing its socket: 401 means "the token", not "the station is down".
  app.get(SESSION_PATH, (_req, reply) => reply.send({ ok: true }))

  const buffered = (): number => {
    let n = 0
    for (const s of sockets) n += s.bufferedAmount
    return n
  }

  app.get(WS_PATH, { websocket: true }, (socket: WebSocket) => {
    sockets.add(socket)
    /** Whether this client may be sent more; disconnects it (saying why) when not. */
    const room = (): boolean => {
      if (socket.readyState !== socket.OPEN) return false
      if (socket.bufferedAmount > clientCap) {
        disconnect(socket, `client too slow: over ${Math.round(clientCap / 1024 / 1024)} MiB unsent`)
        return false
      }
      if (buffered() > totalCap) {
        disconnect(socket, 'station busy: too much unsent output to desks')
        return false
      }
      return true
    }
    const send = (frame: ServerFrame): void => {
      if (!room()) return
      // A reader thread's answer is UTF-8 JSON already, with room for the frame around it: written
      // as it is, never parsed, serialised, encoded or copied again on this loop.
      if (frame.type === 'result' && frame.result.ok && frame.result.value instanceof RawJson) {
        const head = Buffer.from(`{"type":"result","id":${frame.id},"result":{"ok":true,"value":`)
        socket.send(frame.result.value.framed(head, RESULT_TAIL), { binary: false })
      } else socket.send(JSON.stringify(frame))
    }
    send({ type: 'hello', version: '1' })
    const stop = events.join((frame) => {
      if (room()) socket.send(frame, { binary: false })
    })
    const lane = scheduler.lane()
    const session = createDeskSession('browser', { idleMs: options.adminIdleMs })
    const guard: DeskGuard = { commands, station: options.station }
    socket.on('message', (data) => {
      let frame: ClientFrame
      try {
        frame = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8')) as ClientFrame
      } catch {
        return
      }
      // A safe integer: the id is written into the answer's frame by hand (1e400 would be Infinity).
      if (frame?.type !== 'call' || !Number.isSafeInteger(frame.id)) return
      void lane
        .call(() => runAsSession(guard, session, frame.command, frame.input))
        .then((result) => send({ type: 'result', id: frame.id, result }))
    })
    const gone = (): void => {
      sockets.delete(socket)
      lane.close()
      stop()
    }
    socket.on('close', gone)
    socket.on('error', gone)
  })

  try {
    await app.listen({ host: options.host, port: options.port })
  } catch (err) {
    // A busy port: nothing may stay behind (the reader thread would keep the process alive).
    await app.close().catch(() => undefined)
    await reader?.close().catch(() => undefined)
    throw err
  }
  port = (app.server.address() as AddressInfo).port
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host === '0.0.0.0' ? '127.0.0.1' : options.host
  const url = `http://${hostForUrl}:${port}/?token=${access.token}`
  return {
    url,
    token: access.token,
    app,
    clients: () => sockets.size,
    readsOnThread: () => reader?.healthy() ?? false,
    reader,
    close: async () => {
      await app.close()
      await reader?.close()
    },
  }
}
