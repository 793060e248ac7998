// What every desk command module builds on: the station it runs against and the shape of the
// command map. Its own module, so the command modules import it and never each other.
import type { CommandName, CommandOutputs, commandInputs } from '../../../shared/contract'
import type { Station } from '../station'
import type { DeskSession } from './desk-session'

export interface DeskCommandDeps {
  station: Station
  /** Base URLs gateways can use (`http://192.168.1.20:8787`), one per LAN address. */
  receiverUrls: () => string[]
  startedAt?: number
}

/** `session` is the caller's desk session, made by its transport (absent in direct calls: tests). */
export type DeskCommands = {
  [K in CommandName]: (
    input: (typeof commandInputs)[K]['_zod']['output'],
    session?: DeskSession,
  ) => CommandOutputs[K] | Promise<CommandOutputs[K]>
}
