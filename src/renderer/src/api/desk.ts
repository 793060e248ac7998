// The one DeskApi the views use: the preload's in the desk, the WebSocket client in browser mode.
import type { CommandInput, CommandName, CommandOutput, DeskApi, DeskErrorCode } from '../../../shared/contract'
import { createWsApi, type WsDeskApi } from './ws-client'

declare global {
  interface Window {
    gatehouse?: DeskApi
  }
}

const ws: WsDeskApi | null = window.gatehouse ? null : createWsApi()
export const desk: DeskApi = window.gatehouse ?? ws!

// When the station was last lost (ms), null while connected: every live value says "stale since".
// Set on the first close only; the retries that follow report "still disconnected" again.
let lostAt: number | null = null
ws?.onStatus((connected) => {
  if (connected) lostAt = null
  else lostAt ??= Date.now()
})

/** Whether the desk can reach the station: always in Electron, while the socket is open in browser mode. */
export const connection = {
  isConnected: (): boolean => ws?.isConnected() ?? true,
  needsToken: (): boolean => ws?.needsToken() ?? false,
  /** When the connection was lost (ms since the epoch), or null while connected. */
  lostAt: (): number | null => lostAt,
  subscribe: (listener: (connected: boolean) => void): (() => void) => ws?.onStatus(listener) ?? (() => undefined),
}

export class DeskCallError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Calls a command and returns its value, throwing a DeskCallError with the station's message. */
export async function call<K extends CommandName>(command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
  const result = await desk.call(command, input)
  if (!result.ok) throw new DeskCallError(result.error.code, result.error.message)
  return result.value
}

/** The message to show an operator for a failed call. */
export const errorText = (err: unknown): string =>
  err instanceof DeskCallError ? err.message : err instanceof Error ? err.message : 'Something went wrong'
