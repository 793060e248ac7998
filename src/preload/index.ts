// The renderer's only door to the station: a narrow, typed API over IPC. Never exposes ipcRenderer.
// Imports are zod-free (a sandboxed preload cannot require packages).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { EVENTS_CHANNEL, commandChannel, isCommandName } from '../shared/contract-names'
import type { DeskApi, DeskEventBatch } from '../shared/contract'

const api = {
  transport: 'electron',
  call: (command, input) =>
    isCommandName(command)
      ? ipcRenderer.invoke(commandChannel(command), input)
      : Promise.resolve({ ok: false as const, error: { code: 'UNKNOWN_COMMAND', message: 'Unknown command' } }),
  subscribe: (listener) => {
    const handler = (_event: IpcRendererEvent, batch: DeskEventBatch): void => listener(batch)
    ipcRenderer.on(EVENTS_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENTS_CHANNEL, handler)
    }
  },
} satisfies DeskApi

contextBridge.exposeInMainWorld('gatehouse', api)
