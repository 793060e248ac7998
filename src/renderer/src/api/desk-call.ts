// Typed calls over a DeskApi, with no module state: the desk's `call` is this over its one API, and
// a test builds the same over its own (a WebSocket client of a real station, say).
import type { CommandInput, CommandName, CommandOutput, DeskApi, DeskErrorCode } from '../../../shared/contract'

export class DeskCallError extends Error {
  constructor(
    readonly code: DeskErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/** Calls a command and returns its value, throwing a DeskCallError with the station's message. */
export type DeskCall = <K extends CommandName>(command: K, input: CommandInput<K>) => Promise<CommandOutput<K>>

export function deskCall(api: Pick<DeskApi, 'call'>): DeskCall {
  return async (command, input) => {
    const result = await api.call(command, input)
    if (!result.ok) throw new DeskCallError(result.error.code, result.error.message)
    return result.value
  }
}

/** Whether the desk can reach the station, and word when that changes. */
export interface DeskConnection {
  isConnected: () => boolean
  /** Told `false` when the station is lost and `true` when it is back; returns the unsubscribe function. */
  subscribe: (listener: (connected: boolean) => void) => () => void
}

/** Electron's IPC: the station is in the same app, so never lost. */
export const alwaysConnected: DeskConnection = { isConnected: () => true, subscribe: () => () => undefined }

/** The message to show an operator for a failed call. */
export const errorText = (err: unknown): string =>
  err instanceof DeskCallError ? err.message : err instanceof Error ? err.message : 'Something went wrong'
