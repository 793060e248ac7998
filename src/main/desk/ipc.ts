// Serves the desk contract over Electron IPC: one handler per command, each checking its sender —
// the desk window's main frame, showing the desk's own page (the built file, or the dev server
// in development) — before the input is validated and run.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { COMMAND_NAMES, EVENTS_CHANNEL, commandChannel } from '../../shared/contract-names'
import { runDeskCommand, type DeskCommands } from '../station/desk/commands'
import { batchEvents } from '../station/desk/event-batcher'
import type { Hub } from '../station/hub'
import type { StationEvents } from '../../shared/events'
import { isOwnPage, type RendererSource } from './renderer-source'

export function registerDeskIpc(
  commands: DeskCommands,
  hub: Hub<StationEvents>,
  window: () => BrowserWindow | null,
  source: RendererSource,
): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = window()
    if (!win || event.sender !== win.webContents) return false
    const frame = event.senderFrame
    // Identity alone is not enough: the same frame could be showing some other page.
    return frame !== null && frame === win.webContents.mainFrame && isOwnPage(source, frame.url)
  }
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, input: unknown) =>
      trusted(event) ? runDeskCommand(commands, name, input) : { ok: false, error: { code: 'FORBIDDEN', message: 'Not the desk window' } },
    )
  }
  const stop = batchEvents(hub, (batch) => {
    const win = window()
    // Live decisions carry attendee names: only ever to the desk's own page.
    if (win && !win.isDestroyed() && isOwnPage(source, win.webContents.getURL())) win.webContents.send(EVENTS_CHANNEL, batch)
  })
  return () => {
    stop()
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name))
  }
}
