// Browser mode: the desk contract over the dashboard server's WebSocket, reconnecting on loss.
// The credential is the HttpOnly cookie the page was given for its token: never in script's reach.
import { SESSION_PATH, WS_PATH, type DeskApi, type DeskEventBatch, type ServerFrame } from '../../../shared/contract'
import type { Result } from '../../../shared/contract-names'

export type WsDeskApi = DeskApi & {
  onStatus: (listener: (connected: boolean) => void) => () => void
  isConnected: () => boolean
  /** The station answered that this browser has no valid token (e.g. it restarted with a new one). */
  needsToken(): boolean
  /** Closes the socket for good (no reconnecting). */
  close(): void
}

/** What the client needs of a WebSocket (the browser's, or the `ws` package's in a test). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: unknown) => void) | null
  send(data: string): void
  close(): void
}

export interface WsApiOptions {
  /** The dashboard's address: the page's own location in the browser. */
  base: { protocol: string; host: string }
  /** Opens a socket; the browser's WebSocket unless given. */
  open?: (url: string) => SocketLike
}

export function createWsApi(options: WsApiOptions): WsDeskApi {
  const { base } = options
  const secure = base.protocol === 'https:'
  const url = `${secure ? 'wss' : 'ws'}://${base.host}${WS_PATH}`
  const sessionUrl = `${secure ? 'https' : 'http'}://${base.host}${SESSION_PATH}`
  // The browser's handlers take its own event types; this client reads only `data` of a message.
  const open = options.open ?? ((to: string) => new WebSocket(to) as unknown as SocketLike)
  let tokenRefused = false
  const listeners = new Set<(batch: DeskEventBatch) => void>()
  const statusListeners = new Set<(connected: boolean) => void>()
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const lost: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Lost the connection to the station' } }
  let nextId = 1
  let socket: SocketLike | null = null
  // Calls made while there is no socket wait here for the next one to open, through every retry
  // (a failed attempt does not strand them: they are sent once the station is back).
  let waiting: Array<(ws: SocketLike | null) => void> = []
  let retryMs = 250
  let closed = false

  const attempt = (): void => {
    const ws = open(url)
    ws.onopen = () => {
      socket = ws
      retryMs = 250
      statusListeners.forEach((l) => l(true))
      const woken = waiting
      waiting = []
      woken.forEach((wake) => wake(ws))
    }
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as ServerFrame
      if (frame.type === 'events') listeners.forEach((l) => l(frame.events))
      else if (frame.type === 'result') {
        pending.get(frame.id)?.(frame.result)
        pending.delete(frame.id)
      }
    }
    ws.onclose = () => {
      socket = null
      for (const [id, settle] of pending) {
        settle(lost)
        pending.delete(id)
      }
      if (closed) return
      // A refused cookie is no outage: say so and stop retrying (a new token is needed).
      void fetch(sessionUrl, { credentials: 'same-origin' })
        .then((res) => res.status === 401)
        .catch(() => false)
        .then((refused) => {
          tokenRefused = refused
          statusListeners.forEach((l) => l(false))
          if (refused || closed) return
          setTimeout(attempt, retryMs)
          retryMs = Math.min(retryMs * 2, 5000)
        })
    }
  }
  attempt()

  return {
    transport: 'browser',
    async call(command, input) {
      const ws = socket ?? (closed ? null : await new Promise<SocketLike | null>((wake) => waiting.push(wake)))
      if (!ws) return lost
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void)
        ws.send(JSON.stringify({ type: 'call', id, command, input }))
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    isConnected: () => socket !== null,
    needsToken: () => tokenRefused,
    onStatus(listener) {
      statusListeners.add(listener)
      return () => statusListeners.delete(listener)
    },
    close() {
      closed = true
      socket?.close()
      const woken = waiting
      waiting = []
      woken.forEach((wake) => wake(null))
    },
  }
}
