// The desk window, locked down: isolated, sandboxed, no node, strict CSP, no navigation or popups.
import { BrowserWindow, session } from 'electron'
import { join } from 'node:path'
import { CSP } from '../station/desk/dashboard-server'

export function lockDownSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
}

export function createDeskWindow(options: { preload: string; rendererDir: string; devUrl?: string; icon: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#0f1419',
    title: 'Gatehouse',
    icon: options.icon,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.webContents.on('will-navigate', (event) => event.preventDefault())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.once('ready-to-show', () => win.show())
  if (options.devUrl) void win.loadURL(options.devUrl)
  else void win.loadFile(join(options.rendererDir, 'index.html'))
  return win
}
