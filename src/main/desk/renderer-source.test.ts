// Which page the desk trusts: the built renderer file, or the dev server only in an unpackaged
// development build and only on loopback; the IPC sender check accepts that page and nothing else;
// the CSP is relaxed for the dev server's page alone.
import { describe, expect, it } from 'vitest'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CSP } from '../station/desk/dashboard-server'
import { chooseRenderer, deskCsp, isOwnPage, loadTarget, type RendererSource } from './renderer-source'

const file = resolve('/opt/Gatehouse/resources/app.asar/out/renderer/index.html')
const fileUrl = pathToFileURL(file).href
const dev = 'http://localhost:5173'

describe('choosing the page', () => {
  it('loads the built file when no dev URL is given', () => {
    expect(chooseRenderer({ packaged: false, devBuild: true, file, devUrl: undefined })).toEqual({ source: { kind: 'file', file } })
  })

  it('ignores ELECTRON_RENDERER_URL in a packaged app, and in any built (non-dev) app', () => {
    for (const [packaged, devBuild] of [
      [true, true],
      [true, false],
      [false, false],
    ] as const) {
      const choice = chooseRenderer({ packaged, devBuild, file, devUrl: 'http://localhost:5173' })
      expect(choice.source).toEqual({ kind: 'file', file })
      expect(choice.ignored).toMatch(/development builds only/)
    }
  })

  it('uses the dev server in an unpackaged dev build, on loopback only', () => {
    expect(chooseRenderer({ packaged: false, devBuild: true, file, devUrl: 'http://localhost:5173' }).source).toEqual({
      kind: 'dev-server',
      origin: 'http://localhost:5173',
    })
    expect(chooseRenderer({ packaged: false, devBuild: true, file, devUrl: 'http://127.0.0.1:5173/' }).source.kind).toBe('dev-server')
    for (const devUrl of [
      'http://evil.example:5173',
      'http://192.168.1.20:5173',
      'file:///tmp/x.html',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const choice = chooseRenderer({ packaged: false, devBuild: true, file, devUrl })
      expect(choice.source, devUrl).toEqual({ kind: 'file', file })
      expect(choice.ignored, devUrl).toBeTruthy()
    }
  })

  it('hands loadFile the file and loadURL the dev origin', () => {
    expect(loadTarget({ kind: 'file', file })).toEqual({ file, hash: '' })
    expect(loadTarget({ kind: 'dev-server', origin: dev })).toEqual({ url: `${dev}/` })
    // The wall display: the same page on another route, still recognised as the desk's own.
    expect(loadTarget({ kind: 'file', file }, '/wall')).toEqual({ file, hash: '/wall' })
    expect(loadTarget({ kind: 'dev-server', origin: dev }, '/wall')).toEqual({ url: `${dev}/#/wall` })
  })
})

describe('the IPC sender check', () => {
  const built: RendererSource = { kind: 'file', file }
  const server: RendererSource = { kind: 'dev-server', origin: dev }

  it('accepts the built page, whatever its #route', () => {
    expect(isOwnPage(built, fileUrl)).toBe(true)
    expect(isOwnPage(built, `${fileUrl}#/logs?status=403`)).toBe(true)
  })

  it('refuses every other page, even one loaded in the desk window', () => {
    for (const url of [
      pathToFileURL(join(file, '..', 'other.html')).href,
      pathToFileURL('/etc/passwd').href,
      `${fileUrl}?inject=1`,
      'http://localhost:5173/',
      'https://evil.example/',
      'about:blank',
      'data:text/html,<script>1</script>',
      'devtools://devtools/bundled/inspector.html',
      '',
      'garbage',
    ]) {
      expect(isOwnPage(built, url), url).toBe(false)
    }
    expect(isOwnPage(built, null)).toBe(false)
    expect(isOwnPage(built, undefined)).toBe(false)
  })

  it('accepts the dev server by origin only', () => {
    expect(isOwnPage(server, 'http://localhost:5173/')).toBe(true)
    expect(isOwnPage(server, 'http://localhost:5173/#/alerts')).toBe(true)
    expect(isOwnPage(server, 'http://localhost:5174/')).toBe(false)
    expect(isOwnPage(server, 'http://127.0.0.1:5173/')).toBe(false)
    expect(isOwnPage(server, fileUrl)).toBe(false)
  })
})

describe("the desk's CSP", () => {
  it("is the dashboard's own for the built page", () => {
    expect(deskCsp(CSP, { kind: 'file', file })).toBe(CSP)
    expect(/script-src [^;]*unsafe-inline/.test(CSP)).toBe(false)
  })

  it("lets the dev server's page run the React refresh preamble and reach Vite's HMR socket, and nothing else", () => {
    const relaxed = deskCsp(CSP, { kind: 'dev-server', origin: dev })
    const directives = new Map(relaxed.split('; ').map((d) => [d.split(' ')[0], d]))
    expect(directives.get('script-src')).toBe(`script-src 'self' 'unsafe-inline' ${dev}`)
    expect(directives.get('connect-src')).toBe(`connect-src 'self' ${dev} ws://localhost:5173`)
    // Every other directive as it was.
    for (const d of CSP.split('; ')) if (!/^(script|connect)-src /.test(d)) expect(relaxed.split('; ')).toContain(d)
    expect(relaxed.split('; ')).toHaveLength(CSP.split('; ').length)
  })
})
