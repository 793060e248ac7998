// Where the desk window's page comes from, how to recognise it, and its CSP. The built renderer
// (a file) always; electron-vite's dev server only in a development build that is not packaged,
// and only on loopback — an ELECTRON_RENDERER_URL in a user's environment must never hand the
// desk API to another page. Plain Node (no electron import), so it is tested under vitest.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type RendererSource = { kind: 'file'; file: string } | { kind: 'dev-server'; origin: string }

export interface RendererChoice {
  /** Electron's app.isPackaged. */
  packaged: boolean
  /** Built by `electron-vite dev` (import.meta.env.DEV), never by `electron-vite build`. */
  devBuild: boolean
  /** The built renderer's index.html. */
  file: string
  /** ELECTRON_RENDERER_URL. */
  devUrl: string | undefined
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** The page to load, and why a dev URL that was given is not used (for the log). */
export function chooseRenderer(choice: RendererChoice): { source: RendererSource; ignored?: string } {
  const file: RendererSource = { kind: 'file', file: resolve(choice.file) }
  const raw = choice.devUrl?.trim()
  if (!raw) return { source: file }
  if (choice.packaged || !choice.devBuild) return { source: file, ignored: 'ELECTRON_RENDERER_URL is honoured by development builds only' }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { source: file, ignored: 'ELECTRON_RENDERER_URL is not a URL' }
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !LOOPBACK_HOSTS.has(url.hostname)) {
    return { source: file, ignored: 'ELECTRON_RENDERER_URL must be an http(s) address on this machine (localhost)' }
  }
  return { source: { kind: 'dev-server', origin: url.origin } }
}

/** What to hand to loadFile/loadURL; `hash` opens a route ('/wall'), the page stays the same. */
export const loadTarget = (source: RendererSource, hash = ''): { file: string; hash: string } | { url: string } =>
  source.kind === 'file' ? { file: source.file, hash } : { url: `${source.origin}/${hash ? `#${hash}` : ''}` }

const samePath = (a: string, b: string): boolean => (process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b)

/**
 * Whether a frame's URL is the desk's own page: the built index.html itself (any #route, no
 * query), or the dev server's origin. Anything else — another file, another host, about:blank,
 * a data: URL — is not, whatever window it is in.
 */
export function isOwnPage(source: RendererSource, frameUrl: string | null | undefined): boolean {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  if (source.kind === 'dev-server') return url.origin === source.origin
  if (url.protocol !== 'file:' || url.search !== '') return false
  url.hash = ''
  try {
    return samePath(fileURLToPath(url), source.file)
  } catch {
    return false
  }
}

/**
 * The renderer's CSP as served to the desk: the dashboard's own, unchanged for the built page.
 * The dev server's page needs two relaxations, for it alone: the inline React refresh preamble
 * that @vitejs/plugin-react injects, and Vite's HMR WebSocket.
 */
export function deskCsp(base: string, source: RendererSource): string {
  return source.kind === 'file' ? base : relaxForDevServer(base, source.origin)
}

/**
 * `base` with the dev server's two needs added. Only the header matters: index.html's meta CSP
 * comes after the preamble Vite injects at the top of <head>, so it does not apply to it.
 */
function relaxForDevServer(base: string, origin: string): string {
  const ws = origin.replace(/^http/, 'ws')
  return base
    .split(';')
    .map((directive) => directive.trim())
    .map((directive) => {
      if (directive.startsWith('script-src ')) return `${directive} 'unsafe-inline' ${origin}`
      if (directive.startsWith('connect-src ')) return `${directive} ${origin} ${ws}`
      return directive
    })
    .join('; ')
}
