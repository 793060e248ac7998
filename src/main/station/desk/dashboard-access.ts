// Who may use the browser-mode desk: whoever holds the token printed at the station's start. The
// token is exchanged once for an HttpOnly SameSite=Strict cookie, so a page of another site (even
// one whose name rebinds to this machine) never holds a credential, and the token leaves the URL.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Tokens given by an admin (GATEHOUSE_DASHBOARD_TOKEN) must be at least this long. */
export const MIN_TOKEN_LENGTH = 16

export class DashboardTokenError extends Error {
  override name = 'DashboardTokenError'
}

export const generateToken = (): string => randomBytes(16).toString('hex')

export function checkGivenToken(token: string): string {
  const t = token.trim()
  if (t.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(t))
    throw new DashboardTokenError(`the dashboard token must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces`)
  return t
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** One cookie per dashboard port: cookies ignore ports, and two stations on one machine must not clash. */
export const cookieName = (port: number): string => `gatehouse_desk_${port}`

export interface DeskAccess {
  readonly token: string
  tokenMatches(given: string | null | undefined): boolean
  /** The Set-Cookie value that stands for the token (derived from it, so a new token voids old cookies). */
  setCookie(port: number): string
  /** Whether a Cookie header carries this station's cookie. */
  cookieMatches(header: string | undefined, port: number): boolean
}

export function deskAccess(token: string): DeskAccess {
  const cookieValue = createHmac('sha256', token).update('gatehouse desk cookie v1').digest('base64url')
  return {
    token,
    tokenMatches: (given) => typeof given === 'string' && same(given, token),
    setCookie: (port) => `${cookieName(port)}=${cookieValue}; Path=/; HttpOnly; SameSite=Strict`,
    cookieMatches(header, port) {
      if (!header) return false
      const name = `${cookieName(port)}=`
      return header
        .split(';')
        .map((c) => c.trim())
        .some((c) => c.startsWith(name) && same(c.slice(name.length), cookieValue))
    },
  }
}

/** What a browser without the cookie gets instead of the app: what to do, not an endless "Reconnecting…". */
export const TOKEN_REQUIRED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse: access token required</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em}code{background:#eee;padding:0 .2em}</style>
</head><body>
<h1>Access token required</h1>
<p>This Gatehouse desk needs the access token printed when the station started. Open the full
dashboard address from the station's output, the line <code>dashboard on http://…/?token=…</code>.</p>
<p>The token changes at every start unless <code>GATEHOUSE_DASHBOARD_TOKEN</code> is set; after a
restart, open the new address. The token is then kept in a cookie for this browser.</p>
</body></html>
`
