// `gatehouse station`: the receiver headless (and, from issue 4, the browser dashboard).
import { createStation } from '../station/station'
import { DEFAULT_RECEIVER_HOST, DEFAULT_RECEIVER_PORT, receiverUrls } from '../station/receiver/server'
import { ENDPOINTS, endpointPath } from '../../shared/webhooks'
import type { CommandContext } from './commands'
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
  const station = await createStation({ dataDir: ctx.dataDir })
  let bound
  try {
    bound = await station.listen(host, port)
  } catch (err) {
    await station.close()
    throw new Error(`cannot listen on ${host}:${port}: ${(err as Error).message}`)
  }
  const urls = receiverUrls(host, bound.port)
  ctx.out(`data directory: ${ctx.dataDir}`)
  ctx.out('give gateways one of these URLs (per endpoint):')
  for (const base of urls) {
    for (const e of ENDPOINTS) ctx.out(`  ${base}${endpointPath(e)}`)
  }
  ctx.out(`receiver listening on http://${host.includes(':') ? `[${host}]` : host}:${bound.port}`)
  void station.storeCheck.then((c) => (c.ok ? ctx.out : ctx.err)(describeStoreCheck(c)))

  let dashboard: Dashboard | null = null
  if (!ctx.values['no-dashboard']) {
    const dashboardHost = typeof ctx.values['dashboard-host'] === 'string' ? ctx.values['dashboard-host'] : DEFAULT_DASHBOARD_HOST
    const dashboardPort = portArg(ctx.values['dashboard-port'], DEFAULT_DASHBOARD_PORT, 'dashboard-port')
    const commands = createDeskCommands({ station, receiverUrls: () => urls })
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
