// The Electron shell: only wiring. The station itself is plain Node (./station).
import { app, BrowserWindow } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createStation, type Station } from './station/station'
import { receiverUrls } from './station/receiver/server'
import { readListenConfig } from './station/listen-config'
import { createDeskCommands } from './station/desk/commands'
import { registerDeskIpc } from './desk/ipc'
import { createDeskWindow, lockDownSession } from './desk/window'
import { createTray } from './desk/tray-and-alerts'
import { desktopSealer } from './desk/sealer'

async function run(): Promise<void> {
  if (!app.requestSingleInstanceLock()) return app.quit()
  await app.whenReady()
  lockDownSession()
  const resources = app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  const icon = join(resources, 'icon.png')
  // The Electron-ABI build of better-sqlite3 lives apart from the Node one (npm run rebuild:electron).
  const native = join(app.isPackaged ? process.resourcesPath : app.getAppPath(), 'native', 'electron', 'better_sqlite3.node')
  const station: Station = await createStation({
    dataDir: process.env.GATEHOUSE_DATA_DIR ?? app.getPath('userData'),
    sealer: desktopSealer((message) => console.warn(`gatehouse: ${message}`)),
    nativeBinding: existsSync(native) ? native : undefined,
  })
  const listen = readListenConfig(process.env)
  const { host } = listen
  const started = await station.start({ host, httpPort: listen.port, httpsPort: listen.httpsPort, httpsOptional: listen.httpsOptional })
  if (started.httpsError) console.warn(`gatehouse: ${started.httpsError}`)
  const urls = (): string[] => {
    const http = station.bound().http
    return http ? receiverUrls(host, http.port) : []
  }

  let win: BrowserWindow | null = null
  let quitting = false
  const show = (): void => {
    if (!win || win.isDestroyed()) {
      win = createDeskWindow({
        preload: join(__dirname, '../preload/index.cjs'),
        rendererDir: join(__dirname, '../renderer'),
        devUrl: process.env.ELECTRON_RENDERER_URL,
        icon,
      })
      // Closing the window keeps the station receiving; quitting is explicit (tray menu).
      win.on('close', (event) => {
        if (!quitting) {
          event.preventDefault()
          win?.hide()
        }
      })
    }
    win.show()
    win.focus()
  }
  const commands = createDeskCommands({ station, receiverUrls: urls })
  const stopIpc = registerDeskIpc(commands, station.hub, () => win)
  const stopTray = createTray(icon, { show, quit: () => app.quit() }, () => station.access.alerts.open(), station.hub)
  app.on('second-instance', show)
  app.on('activate', show)
  app.on('window-all-closed', () => undefined)
  app.on('before-quit', () => {
    quitting = true
  })
  app.on('will-quit', (event) => {
    event.preventDefault()
    stopIpc()
    stopTray()
    void station.close().finally(() => app.exit(0))
  })
  show()
}

run().catch((err: unknown) => {
  console.error('gatehouse: the desk could not start:', err)
  app.exit(1)
})
