// Serves the desk contract over Electron IPC: one handler per command, each checking its sender —
// the desk window's main frame, showing the desk's own page (the built file, or the dev server
// in development) — before the input is validated and run. Each window is a desk session of its
// own (operator name, officer or unlocked admin), as each browser-mode connection is.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { COMMAND_NAMES, EVENTS_CHANNEL, commandChannel } from '../../shared/contract-names'
import type { DeskCommands } from '../station/desk/commands'
import { batchEvents } from '../station/desk/event-batcher'
import type { Station } from '../station/station'
import { adminIdleMs, createDeskSession, type DeskSession } from '../station/desk/desk-session'
import { runAsSession } from '../station/desk/session-run'
import { isOwnPage, type RendererSource } from './renderer-source'
import { commandAllowed, type DeskWindowRole } from './wall-access'

export function registerDeskIpc(
  commands: DeskCommands,
  station: Station,
  windows: () => Array<{ win: BrowserWindow; role: DeskWindowRole }>,
  source: RendererSource,
  idleMs: number = adminIdleMs(process.env),
): () => void {
  const { hub } = station
  // One session per window's page: a reopened window asks for the name (and the passphrase) again.
  const sessions = new Map<number, DeskSession>()
  const sessionOf = (event: IpcMainInvokeEvent): DeskSession => {
    let s = sessions.get(event.sender.id)
    if (!s) {
      s = createDeskSession('electron', { idleMs })
      sessions.set(event.sender.id, s)
      event.sender.once('destroyed', () => sessions.delete(event.sender.id))
    }
    return s
  }
  /** The role of the window that sent it, or null when it is not one of ours showing our page. */
  const senderRole = (event: IpcMainInvokeEvent): DeskWindowRole | null => {
    const match = windows().find(({ win }) => event.sender === win.webContents)
    if (!match) return null
    const frame = event.senderFrame
    // Identity alone is not enough: the same frame could be showing some other page.
    return frame !== null && frame === match.win.webContents.mainFrame && isOwnPage(source, frame.url) ? match.role : null
  }
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, input: unknown) => {
      const role = senderRole(event)
      if (role === null) return { ok: false, error: { code: 'FORBIDDEN', message: 'Not the desk window' } }
      if (!commandAllowed(role, name)) return { ok: false, error: { code: 'FORBIDDEN', message: 'The wall display only shows' } }
      return runAsSession({ commands, station }, sessionOf(event), name, input)
    })
  }
  const stop = batchEvents(hub, (batch) => {
    // Live decisions carry attendee names: only ever to the desk's own page.
    for (const { win } of windows()) if (isOwnPage(source, win.webContents.getURL())) win.webContents.send(EVENTS_CHANNEL, batch)
  })
  return () => {
    stop()
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name))
  }
}
