// The one DeskApi the views use: the preload's in the desk, the WebSocket client in browser mode.
import type { DeskApi } from '../../../shared/contract'
import { alwaysConnected, deskCall, type DeskConnection } from './desk-call'
import { createWsApi, type WsDeskApi } from './ws-client'

export { DeskCallError, errorText } from './desk-call'

declare global {
  interface Window {
    gatehouse?: DeskApi
  }
}

const ws: WsDeskApi | null = window.gatehouse ? null : createWsApi({ base: window.location })
export const desk: DeskApi = window.gatehouse ?? ws!

/** Whether the desk can reach the station: always in Electron, while the socket is open in browser mode. */
export const connection: DeskConnection & { needsToken: () => boolean } = {
  isConnected: ws ? () => ws.isConnected() : alwaysConnected.isConnected,
  subscribe: ws ? (listener) => ws.onStatus(listener) : alwaysConnected.subscribe,
  needsToken: () => ws?.needsToken() ?? false,
}

/** Calls a command and returns its value, throwing a DeskCallError with the station's message. */
export const call = deskCall(desk)
