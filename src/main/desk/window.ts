// The desk window, locked down: isolated, sandboxed, no node, a strict CSP, no navigation, popups
// or webviews, no DevTools in a packaged build. Created once the station is up, shown when its
// first paint is ready (`ready-to-show`), hidden rather than closed until the desk quits.
import { BrowserWindow, session } from 'electron'
import { loadTarget, type RendererSource } from './renderer-source'
import { WINDOW_HASH, type DeskWindowRole } from './wall-access'

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
  /** The wall display: a second window on #/wall (read-only), opened or brought to the front. */
  openWall: () => void
  /** Every open window with its role, for the IPC's sender check and the events. */
  all: () => Array<{ win: BrowserWindow; role: DeskWindowRole }>
  /** Quitting: closing the window closes it for real. */
  allowClose: () => void
}

/** A window locked down the same way for both roles; only its size, title and route differ. */
function lockedWindow(options: DeskWindowOptions, role: DeskWindowRole): BrowserWindow {
  const w = new BrowserWindow({
    width: role === 'wall' ? 1920 : 1440,
    height: role === 'wall' ? 1080 : 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#0f1419',
    title: role === 'wall' ? 'Gatehouse — wall display' : 'Gatehouse',
    icon: options.icon,
    autoHideMenuBar: role === 'wall',
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
  w.webContents.on('will-navigate', (event) => event.preventDefault())
  w.webContents.on('will-attach-webview', (event) => event.preventDefault())
  w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const target = loadTarget(options.source, WINDOW_HASH[role])
  const loading = 'file' in target ? w.loadFile(target.file, { hash: target.hash }) : w.loadURL(target.url)
  loading.catch((err: unknown) => options.log(`the ${role} page did not load: ${err instanceof Error ? err.message : String(err)}`))
  return w
}

export function createDeskWindows(options: DeskWindowOptions): DeskWindows {
  let win: BrowserWindow | null = null
  let painted = false
  let opened = false
  let closing = false

  let wall: BrowserWindow | null = null

  const create = (): BrowserWindow => {
    const w = lockedWindow(options, 'desk')
    painted = false
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
    openWall() {
      if (!opened || closing) return
      if (wall && !wall.isDestroyed()) return (wall.show(), wall.focus())
      const w = lockedWindow(options, 'wall')
      w.once('ready-to-show', () => w.show())
      // The wall really closes: it holds nothing, and the tray opens it again.
      w.on('closed', () => (wall = null))
      wall = w
    },
    all() {
      const out: Array<{ win: BrowserWindow; role: DeskWindowRole }> = []
      if (win && !win.isDestroyed()) out.push({ win, role: 'desk' })
      if (wall && !wall.isDestroyed()) out.push({ win: wall, role: 'wall' })
      return out
    },
    allowClose() {
      closing = true
    },
  }
}
