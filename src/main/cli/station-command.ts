// `gatehouse station`: the receiver headless, and the browser-mode dashboard beside it.
import { createStation } from '../station/station'
import { receiverUrls } from '../station/receiver/server'
import { readListenConfig, type ListenConfig } from '../station/listen-config'
import { unnamedAddresses } from '../station/tls/certificate'
import { ENDPOINTS, endpointPath } from '../../shared/webhooks'
import type { CommandContext } from './context'
import { createDeskCommands } from '../station/desk/commands'
import { describeStoreCheck } from '../station/store/startup-check'
import { defaultRendererDir, startDashboard, type Dashboard } from '../station/desk/dashboard-server'
import { DashboardTokenError } from '../station/desk/dashboard-access'
import { AdminIdleError, adminIdleMs } from '../station/desk/desk-session'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

/** "port 8787 is in use" in one line, with the flag and the variable that change it. */
export function listenFailure(err: unknown, what: string, port: number, flag: string, envVar: string): Error {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE')
    return new Error(`${what} port ${port} is in use (another station?); choose another with ${flag} or ${envVar}`, { cause: err })
  if (code === 'EACCES')
    return new Error(`${what} port ${port} needs privileges here; choose one above 1023 with ${flag} or ${envVar}`, { cause: err })
  return new Error(`cannot start the ${what}: ${(err as Error).message}`, { cause: err })
}

export async function runStation(ctx: CommandContext): Promise<number> {
  const listen: ListenConfig = readListenConfig(process.env, {
    host: text(ctx.values.host),
    port: text(ctx.values.port),
    httpsPort: text(ctx.values['https-port']),
    noHttp: ctx.values['no-http'] === true,
    dashboardHost: text(ctx.values['dashboard-host']),
    dashboardPort: text(ctx.values['dashboard-port']),
    noDashboard: ctx.values['no-dashboard'] === true,
    dashboardNames: Array.isArray(ctx.values['dashboard-name']) ? ctx.values['dashboard-name'] : undefined,
  })
  const { host } = listen
  // Signals are handled from the start: a Ctrl-C while the station is starting, or a second one
  // while it closes, must not kill it with its store left unclean.
  let stopping = false
  let closeAll: (() => Promise<unknown>) | null = null
  const stop = (signal: string): void => {
    if (stopping) {
      ctx.err(`${signal}: still stopping the station (its store is being closed)`)
      return
    }
    stopping = true
    ctx.err(`${signal}: stopping the station`)
    if (closeAll) void closeAll().then(() => process.exit(0))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  const station = await createStation({ dataDir: ctx.dataDir })
  let bound
  try {
    // The default HTTPS port may be taken (another station): then carry on over HTTP, saying so.
    bound = await station.start({
      host,
      httpPort: listen.port,
      httpsPort: listen.httpsPort,
      http: listen.http,
      httpsOptional: listen.httpsOptional,
    })
  } catch (err) {
    await station.close()
    const busy = (err as { port?: number }).port
    throw busy === listen.httpsPort
      ? listenFailure(err, 'HTTPS receiver', listen.httpsPort, '--https-port', 'GATEHOUSE_HTTPS_PORT')
      : listenFailure(err, 'receiver', listen.port, '--port', 'GATEHOUSE_PORT')
  }
  if (bound.httpsError) ctx.err(`warning: ${bound.httpsError}; choose one with --https-port`)
  const hostText = host.includes(':') ? `[${host}]` : host
  const urls = (): string[] => {
    const h = station.bound().http
    return h ? receiverUrls(host, h.port) : []
  }
  ctx.out(`data directory: ${ctx.dataDir}`)
  ctx.out('give gateways one of these URLs (per endpoint):')
  for (const base of [...(bound.https ? receiverUrls(host, bound.https.port, 'https') : []), ...urls()]) {
    for (const e of ENDPOINTS) ctx.out(`  ${base}${endpointPath(e)}`)
  }
  const cert = station.certificate()
  if (bound.https && cert) {
    ctx.out(`HTTPS certificate SHA-256 fingerprint (gateways pin this): ${cert.fingerprint_sha256}`)
    const unnamed = unnamedAddresses(cert)
    if (unnamed.length > 0)
      ctx.out(`  not named in it: ${unnamed.join(', ')} (fine for pinning gateways; else \`gatehouse tls regenerate\`)`)
    ctx.out(`receiver listening on https://${hostText}:${bound.https.port}`)
  }
  if (bound.http) ctx.out(`receiver listening on http://${hostText}:${bound.http.port}`)
  else ctx.out('plain HTTP is off (HTTPS only)')
  void station.storeCheck.then((c) => (c.ok ? ctx.out : ctx.err)(describeStoreCheck(c)))

  let dashboard: Dashboard | null = null
  // A fresh clone has no built dashboard: the receiver runs anyway, and says how to get it.
  const built = existsSync(join(defaultRendererDir(), 'index.html'))
  if (listen.dashboard && !built) {
    ctx.err(
      'gatehouse: the dashboard is not built yet, so only the receiver runs; build it with `npm run build` and start the station again (or run `npm start`, which builds first)',
    )
  }
  if (listen.dashboard && built) {
    const { dashboardHost, dashboardPort } = listen
    const commands = createDeskCommands({ station, receiverUrls: urls })
    try {
      dashboard = await startDashboard({
        hub: station.hub,
        commands,
        station,
        adminIdleMs: adminIdleMs(process.env),
        host: dashboardHost,
        port: dashboardPort,
        names: listen.dashboardNames,
        token: listen.dashboardToken,
        readerFile: station.db.name,
      })
    } catch (err) {
      await station.close()
      if (err instanceof AdminIdleError) throw err
      if (err instanceof DashboardTokenError) throw new Error(`GATEHOUSE_DASHBOARD_TOKEN: ${err.message}`, { cause: err })
      throw listenFailure(err, 'dashboard', dashboardPort, '--dashboard-port', 'GATEHOUSE_DASHBOARD_PORT')
    }
    ctx.out(`dashboard on ${dashboard.url}`)
    ctx.out(
      `  (open this address once per browser: its token becomes a cookie; ${listen.dashboardToken ? 'the token is GATEHOUSE_DASHBOARD_TOKEN' : 'the token changes at every start'})`,
    )
    // Bound to every interface: the URLs a second screen on the LAN opens (the loopback one above does not work there).
    const port = Number(new URL(dashboard.url).port)
    const query = dashboard.token ? `?token=${dashboard.token}` : ''
    for (const base of receiverUrls(dashboardHost, port)) {
      if (base !== new URL(dashboard.url).origin) ctx.out(`  from another screen: ${base}/${query}  (wall display: ${base}/${query}#/wall)`)
    }
  }

  closeAll = () => Promise.all([dashboard?.close(), station.close()])
  // A signal that came while starting: close now that there is something to close.
  if (stopping) void closeAll().then(() => process.exit(0))
  return -1
}
