// Serves the desk contract over Electron IPC: one handler per command, each checking its sender.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { COMMAND_NAMES, EVENTS_CHANNEL, commandChannel } from '../../shared/contract-names'
import { runDeskCommand, type DeskCommands } from '../station/desk/commands'
import { batchEvents } from '../station/desk/event-batcher'
import type { Hub } from '../station/hub'
import type { StationEvents } from '../../shared/events'

export function registerDeskIpc(commands: DeskCommands, hub: Hub<StationEvents>, window: () => BrowserWindow | null): () => void {
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const win = window()
    return win !== null && event.sender === win.webContents && event.senderFrame === win.webContents.mainFrame
  }
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(commandChannel(name), (event, input: unknown) =>
      trusted(event) ? runDeskCommand(commands, name, input) : { ok: false, error: { code: 'FORBIDDEN', message: 'Not the desk window' } },
    )
  }
  const stop = batchEvents(hub, (batch) => {
    const win = window()
    if (win && !win.isDestroyed()) win.webContents.send(EVENTS_CHANNEL, batch)
  })
  return () => {
    stop()
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(commandChannel(name))
  }
}
