// The desk window, locked down: isolated, sandboxed, no node, a strict CSP, no navigation, popups
// or webviews, no DevTools in a packaged build. Created once the station is up, shown when its
// first paint is ready (`ready-to-show`), hidden rather than closed until the desk quits.
import { BrowserWindow, session } from 'electron'
import { loadTarget, type RendererSource } from './renderer-source'

export function lockDownSession(csp: string): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
}

export interface DeskWindowOptions {
  preload: string
  source: RendererSource
  icon: string
  devTools: boolean
  /** Windows is ending the session (logoff, restart, shutdown): no quit events will follow. */
  onSessionEnd: () => void
  log: (message: string) => void
}

export interface DeskWindows {
  /** The station is up: open the window (and from now on, show() brings it back). */
  open: () => void
  /** A second launch, a dock click, the tray: bring the desk to the front. Before open(), nothing to show yet: open() will. */
  show: () => void
  current: () => BrowserWindow | null
  /** Quitting: closing the window closes it for real. */
  allowClose: () => void
}

export function createDeskWindows(options: DeskWindowOptions): DeskWindows {
  let win: BrowserWindow | null = null
  let painted = false
  let opened = false
  let closing = false

  const create = (): BrowserWindow => {
    const w = new BrowserWindow({
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
        devTools: options.devTools,
      },
    })
    painted = false
    w.webContents.on('will-navigate', (event) => event.preventDefault())
    w.webContents.on('will-attach-webview', (event) => event.preventDefault())
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
    w.once('ready-to-show', () => {
      painted = true
      w.show()
    })
    // Closing the window keeps the station receiving; quitting is explicit (tray menu).
    w.on('close', (event) => {
      if (closing) return
      event.preventDefault()
      w.hide()
    })
    w.on('session-end', options.onSessionEnd)
    const target = loadTarget(options.source)
    const loading = 'file' in target ? w.loadFile(target.file) : w.loadURL(target.url)
    loading.catch((err: unknown) => options.log(`the desk page did not load: ${err instanceof Error ? err.message : String(err)}`))
    return w
  }

  const show = (): void => {
    if (!opened || closing) return
    if (!win || win.isDestroyed()) {
      win = create() // shown by ready-to-show
      return
    }
    if (!painted) return
    if (win.isMinimized()) win.restore()
    win.show()
    win.focus()
  }

  return {
    open() {
      opened = true
      show()
    },
    show,
    current: () => (win && !win.isDestroyed() ? win : null),
    allowClose() {
      closing = true
    },
  }
}
