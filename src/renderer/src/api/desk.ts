// The one DeskApi the views use: the preload's in the desk, the WebSocket client in browser mode.
import type { CommandInput, CommandName, CommandOutput, DeskApi } from '../../../shared/contract'
import { createWsApi } from './ws-client'

declare global {
  interface Window {
    gatehouse?: DeskApi
  }
}

export const desk: DeskApi = window.gatehouse ?? createWsApi()

export class DeskCallError extends Error {
  constructor(
    readonly code: string,
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
