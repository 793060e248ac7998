// Browser mode: the desk contract over the dashboard server's WebSocket, reconnecting on loss.
// The credential is the HttpOnly cookie the page was given for its token: never in script's reach.
import { SESSION_PATH, WS_PATH, type DeskApi, type DeskEventBatch, type ServerFrame } from '../../../shared/contract'
import type { Result } from '../../../shared/contract-names'

export type WsDeskApi = DeskApi & {
  onStatus(listener: (connected: boolean) => void): () => void
  isConnected(): boolean
  /** The station answered that this browser has no valid token (e.g. it restarted with a new one). */
  needsToken(): boolean
}

export function createWsApi(location: Location = window.location): WsDeskApi {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`
  let tokenRefused = false
  const listeners = new Set<(batch: DeskEventBatch) => void>()
  const statusListeners = new Set<(connected: boolean) => void>()
  const pending = new Map<number, (result: Result<unknown>) => void>()
  let nextId = 1
  let socket: WebSocket | null = null
  let ready: Promise<WebSocket> | null = null
  let retryMs = 250

  const connect = (): Promise<WebSocket> => {
    ready ??= new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        retryMs = 250
        statusListeners.forEach((l) => l(true))
        resolve(ws)
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
        ready = null
        for (const [id, settle] of pending) {
          settle({ ok: false, error: { code: 'DISCONNECTED', message: 'Lost the connection to the station' } })
          pending.delete(id)
        }
        // A refused cookie is no outage: say so and stop retrying (a new token is needed).
        void fetch(SESSION_PATH, { credentials: 'same-origin' })
          .then((res) => res.status === 401)
          .catch(() => false)
          .then((refused) => {
            tokenRefused = refused
            statusListeners.forEach((l) => l(false))
            if (refused) return
            setTimeout(() => void connect(), retryMs)
            retryMs = Math.min(retryMs * 2, 5000)
          })
      }
    })
    return ready
  }
  void connect()

  return {
    transport: 'browser',
    async call(command, input) {
      const ws = socket ?? (await connect())
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
  }
}
