// Where the station listens. A flag wins over its environment variable, the variable over the
// default; every value is parsed and refused here, for the CLI and the Electron shell alike (a
// bad port is an error naming its source, never a silently different listener).
import { DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT } from './receiver/server'
import { DEFAULT_HTTPS_PORT } from './receiver/listeners'
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT } from './desk/dashboard-defaults'
import { parseDashboardNames } from './desk/dashboard-names'

export interface ListenConfig {
  host: string
  port: number
  /** null: HTTPS off (port 0). */
  httpsPort: number | null
  /** The HTTPS port is the default one, so a busy port is a warning rather than a failure. */
  httpsOptional: boolean
  http: boolean
  dashboardHost: string
  dashboardPort: number
  dashboard: boolean
  /** Names the dashboard answers to beyond its own (--dashboard-name, GATEHOUSE_DASHBOARD_NAMES). */
  dashboardNames: string[]
  /** A fixed access token (GATEHOUSE_DASHBOARD_TOKEN); undefined: a new one at each start. */
  dashboardToken: string | undefined
}

/** The raw flag values (`--port 8787` …), as the CLI's parser gives them. */
export interface ListenFlags {
  host?: string
  port?: string
  httpsPort?: string
  noHttp?: boolean
  dashboardHost?: string
  dashboardPort?: string
  noDashboard?: boolean
  dashboardNames?: readonly string[]
}

export class ListenConfigError extends Error {
  override name = 'ListenConfigError'
}

function port(flag: string | undefined, flagName: string, env: NodeJS.ProcessEnv, envName: string, fallback: number): number {
  const [raw, source] = flag !== undefined ? [flag, `--${flagName}`] : env[envName]?.trim() ? [env[envName], envName] : [undefined, '']
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n > 65535) {
    throw new ListenConfigError(`${source} must be a port number from 0 to 65535 (got "${raw.slice(0, 40)}")`)
  }
  return n
}

function host(flag: string | undefined, env: NodeJS.ProcessEnv, envName: string, fallback: string): string {
  const raw = flag ?? (env[envName]?.trim() || undefined)
  if (raw === undefined) return fallback
  if (raw.trim() === '' || /\s/.test(raw.trim()))
    throw new ListenConfigError(`${flag !== undefined ? '--host' : envName} must be an address to listen on`)
  return raw.trim()
}

export function readListenConfig(env: NodeJS.ProcessEnv = process.env, flags: ListenFlags = {}): ListenConfig {
  const httpsPort = port(flags.httpsPort, 'https-port', env, 'GATEHOUSE_HTTPS_PORT', DEFAULT_HTTPS_PORT)
  return {
    host: host(flags.host, env, 'GATEHOUSE_HOST', DEFAULT_RECEIVER_HOST),
    port: port(flags.port, 'port', env, 'GATEHOUSE_PORT', DEFAULT_RECEIVER_PORT),
    httpsPort: httpsPort === 0 ? null : httpsPort,
    httpsOptional: flags.httpsPort === undefined && !env.GATEHOUSE_HTTPS_PORT?.trim(),
    http: !flags.noHttp,
    dashboardHost: host(flags.dashboardHost, env, 'GATEHOUSE_DASHBOARD_HOST', DEFAULT_DASHBOARD_HOST),
    dashboardPort: port(flags.dashboardPort, 'dashboard-port', env, 'GATEHOUSE_DASHBOARD_PORT', DEFAULT_DASHBOARD_PORT),
    dashboard: !flags.noDashboard,
    dashboardNames: [...parseDashboardNames(env.GATEHOUSE_DASHBOARD_NAMES), ...parseDashboardNames(flags.dashboardNames)],
    dashboardToken: env.GATEHOUSE_DASHBOARD_TOKEN?.trim() || undefined,
  }
}
