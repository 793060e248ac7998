// What the wall display's window may ask of the station: it only shows, so only the one read
// Live's store makes (the snapshot). A page in that window that tried to change a setting is refused.
import type { CommandName } from '../../shared/contract-names'

export type DeskWindowRole = 'desk' | 'wall'

const WALL_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>(['overview:get'])

export const commandAllowed = (role: DeskWindowRole, command: CommandName): boolean => role === 'desk' || WALL_COMMANDS.has(command)

/** The hash route each window opens on. */
export const WINDOW_HASH: Record<DeskWindowRole, string> = { desk: '', wall: '/wall' }
