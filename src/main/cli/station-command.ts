// `gatehouse station`: the receiver headless (and, from issue 4, the browser dashboard).
import { createStation } from '../station/station'
import { DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT, receiverUrls } from '../station/receiver/server'
import { DEFAULT_HTTPS_PORT } from '../station/receiver/listeners'
import { unnamedAddresses } from '../station/tls/certificate'
import { ENDPOINTS, endpointPath } from '../../shared/webhooks'
import type { CommandContext } from './context'
import { createDeskCommands } from '../station/desk/commands'
import { describeStoreCheck } from '../station/store/startup-check'
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard, type Dashboard } from '../station/desk/dashboard-server'

function portArg(value: string | boolean | string[] | undefined, fallback: number, name: string): number {
  if (typeof value !== 'string') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number (0–65535)`)
  return n
}

export async function runStation(ctx: CommandContext): Promise<number> {
  const host = typeof ctx.values.host === 'string' ? ctx.values.host : DEFAULT_RECEIVER_HOST
  const port = portArg(ctx.values.port, DEFAULT_RECEIVER_PORT, 'port')
  const httpsPort = portArg(ctx.values['https-port'], DEFAULT_HTTPS_PORT, 'https-port')
  const http = !ctx.values['no-http']
  const station = await createStation({ dataDir: ctx.dataDir })
  let bound
  try {
    // The default HTTPS port may be taken (another station): then carry on over HTTP, saying so.
    const httpsOptional = ctx.values['https-port'] === undefined
    bound = await station.start({ host, httpPort: port, httpsPort: httpsPort === 0 ? null : httpsPort, http, httpsOptional })
  } catch (err) {
    await station.close()
    throw new Error(`cannot start the receiver on ${host}: ${(err as Error).message}`)
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
  if (!ctx.values['no-dashboard']) {
    const dashboardHost = typeof ctx.values['dashboard-host'] === 'string' ? ctx.values['dashboard-host'] : DEFAULT_DASHBOARD_HOST
    const dashboardPort = portArg(ctx.values['dashboard-port'], DEFAULT_DASHBOARD_PORT, 'dashboard-port')
    const commands = createDeskCommands({ station, receiverUrls: urls })
    try {
      dashboard = await startDashboard({ hub: station.hub, commands, host: dashboardHost, port: dashboardPort })
    } catch (err) {
      await station.close()
      throw new Error(`cannot start the dashboard on ${dashboardHost}:${dashboardPort}: ${(err as Error).message}`)
    }
    ctx.out(`dashboard on ${dashboard.url}`)
    if (dashboard.token) ctx.out(`  (off loopback: the access token above is required; it changes at every start)`)
  }

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    ctx.err(`${signal}: stopping the station`)
    void Promise.all([dashboard?.close(), station.close()]).then(() => process.exit(0))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
  return -1
}
