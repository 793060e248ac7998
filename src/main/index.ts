// The Electron shell: only wiring. The station is plain Node (./station); the desk's decisions —
// which page to trust, which native module to load, how to quit, what a failed start tells the
// operator — are plain modules in ./desk, tested under Node. Nothing runs at import but main().
import { app, dialog } from 'electron'
import { join } from 'node:path'
import type { Station } from './station/station'
import { createDeskCommands } from './station/desk/commands'
import { CSP } from './station/desk/dashboard-server'
import { APP_ID } from './desk/app-id'
import { registerDeskIpc } from './desk/ipc'
import { deskNativeBinding } from './desk/native-binding'
import { createQuitPath } from './desk/quit'
import { chooseRenderer, deskCsp } from './desk/renderer-source'
import { desktopSealer } from './desk/sealer'
import { endSessionNow } from './desk/session-end'
import { startDeskStation } from './desk/start-station'
import { describeStartupError } from './desk/startup-error'
import { createTray } from './desk/tray-and-alerts'
import { trayIcon } from './desk/tray-icon'
import { createDeskWindows, lockDownSession } from './desk/window'

const log = (message: string): void => console.error(`gatehouse: ${message}`)

function main(): void {
  if (!app.requestSingleInstanceLock()) return app.quit()
  app.setAppUserModelId(APP_ID)
  const packaged = app.isPackaged
  const dataDir = process.env.GATEHOUSE_DATA_DIR ?? app.getPath('userData')
  const resources = packaged ? process.resourcesPath : join(app.getAppPath(), 'resources')
  const renderer = chooseRenderer({
    packaged,
    devBuild: import.meta.env.DEV,
    file: join(__dirname, '../renderer/index.html'),
    devUrl: process.env.ELECTRON_RENDERER_URL,
  })
  if (renderer.ignored) log(renderer.ignored)

  let station: Station | null = null
  const stops: Array<() => void> = []
  const quitPath = createQuitPath({
    close: async () => {
      await starting // a quit during start-up closes what the start opened
      for (const stop of stops) stop()
      await station?.close()
    },
    exit: (code) => app.exit(code),
    watchdogMs: 15_000,
    log,
  })
  const windows = createDeskWindows({
    preload: join(__dirname, '../preload/index.cjs'),
    source: renderer.source,
    icon: join(resources, 'icon.png'),
    devTools: !packaged,
    onSessionEnd: () => endSessionNow(station, () => quitPath.quit()),
    log,
  })
  // Registered before anything slow: a second launch, a dock click or a quit during start-up is not lost.
  app.on('second-instance', windows.show)
  app.on('activate', windows.show)
  app.on('window-all-closed', () => undefined) // the station keeps receiving; quit from the tray
  app.on('before-quit', windows.allowClose)
  app.on('will-quit', (event) => {
    event.preventDefault()
    void quitPath.quit()
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      windows.allowClose()
      void quitPath.quit()
    })
  }

  async function start(): Promise<void> {
    await app.whenReady()
    lockDownSession(deskCsp(CSP, renderer.source))
    const nativeBinding = deskNativeBinding({
      packaged,
      resourcesPath: process.resourcesPath,
      appPath: app.getAppPath(),
      env: process.env,
      abi: process.versions.modules,
    })
    const desk = await startDeskStation({ dataDir, env: process.env, sealer: desktopSealer(log), nativeBinding })
    station = desk.station
    desk.warnings.forEach(log)
    if (quitPath.quitting) return
    const commands = createDeskCommands({ station: desk.station, receiverUrls: desk.urls })
    stops.push(registerDeskIpc(commands, desk.station, windows.all, renderer.source))
    const tray = trayIcon(process.platform, resources)
    stops.push(
      createTray(
        tray,
        { show: windows.show, openWall: windows.openWall, quit: () => app.quit() },
        () => desk.station.access.openAlerts(),
        desk.station.hub,
      ),
    )
    windows.open()
  }

  const starting = start().catch((err: unknown) => {
    log(`the desk could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    const { title, content } = describeStartupError(err, { dataDir })
    dialog.showErrorBox(title, content)
    void quitPath.quit(1)
  })
}

main()
