// A notification target for tests: a real HTTP(S) server on loopback that records what it is sent
// and can be taken down (connections refused), brought back on the same port, made to hang, or to
// answer with a status of the test's choosing.
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

export interface Received {
  headers: IncomingHttpHeaders
  body: string
  at: number
}

export type ReceiverMode =
  | { kind: 'ok' }
  | { kind: 'hang' }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Answers 500 and then streams body bytes forever. */
  | { kind: 'endless' }

export interface NotifyReceiver {
  url: string
  port: number
  received: Received[]
  /** Requests open right now, and the most that were ever open at once. */
  open(): number
  maxOpen(): number
  /** Requests whose socket the sender closed while this receiver still held them. */
  closedByClient(): number
  setMode(mode: ReceiverMode): void
  /** Answers the requests held by 'hang' mode with this status. */
  release(status?: number): void
  /** Stops listening and drops every connection: the target is down. */
  down(): Promise<void>
  /** Listens again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

export async function startNotifyReceiver(options: { tls?: { cert: string; key: string }; path?: string } = {}): Promise<NotifyReceiver> {
  const received: Received[] = []
  let mode: ReceiverMode = { kind: 'ok' }
  let open = 0
  let maxOpen = 0
  let closedByClient = 0
  const sockets = new Set<Socket>()
  const endless = new Set<ReturnType<typeof setInterval>>()
  const held = new Set<ServerResponse>()

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    open++
    maxOpen = Math.max(maxOpen, open)
    let finished = false
    res.on('finish', () => (finished = true))
    res.on('close', () => {
      open--
      if (!finished) closedByClient++
    })
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() })
      const m = mode
      if (m.kind === 'hang') {
        held.add(res)
        res.on('close', () => held.delete(res))
        return
      }
      if (m.kind === 'ok') return void res.writeHead(204).end()
      if (m.kind === 'status') return void res.writeHead(m.status, m.headers).end(m.body ?? '')
      res.writeHead(500, { 'content-type': 'text/plain' })
      const t = setInterval(() => res.write('x'.repeat(16_384)), 1)
      endless.add(t)
      res.on('close', () => {
        clearInterval(t)
        endless.delete(t)
      })
    })
  }
  const server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve((server.address() as AddressInfo).port)
      })
    })
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      for (const t of endless) clearInterval(t)
      for (const s of sockets) s.destroy()
      if (!server.listening) return resolve()
      server.close(() => resolve())
    })

  const port = await listen(0)
  const scheme = options.tls ? 'https' : 'http'
  return {
    url: `${scheme}://127.0.0.1:${port}${options.path ?? '/gatehouse'}`,
    port,
    received,
    open: () => open,
    maxOpen: () => maxOpen,
    closedByClient: () => closedByClient,
    setMode: (m) => void (mode = m),
    release: (status = 204) => {
      for (const res of held) res.writeHead(status).end()
      held.clear()
    },
    down: stop,
    up: async () => void (await listen(port)),
    close: stop,
  }
}
