// The station as the desk runs it: the listen settings are read (and refused) before anything is
// opened, then the store, then the listeners. A listener that cannot start closes the store again,
// so a failed start leaves no "unclean" marker behind. Plain Node (no electron import).
import { createStation, type Station } from '../station/station'
import { readListenConfig, type ListenConfig } from '../station/listen-config'
import { receiverUrls } from '../station/receiver/server'
import type { Sealer } from '../station/secrets'
import { DeskListenError } from './desk-errors'

export interface DeskStationOptions {
  dataDir: string
  env: NodeJS.ProcessEnv
  sealer?: Sealer
  nativeBinding?: string
}

export interface DeskStation {
  station: Station
  /** The URLs to give gateways, as the receiver listens now (plain HTTP may be switched off and on). */
  urls: () => string[]
  /** Things to log that did not stop the start (the default HTTPS port taken, …). */
  warnings: string[]
}

export async function startDeskStation(options: DeskStationOptions): Promise<DeskStation> {
  const listen = readListenConfig(options.env)
  const station = await createStation({
    dataDir: options.dataDir,
    env: options.env,
    sealer: options.sealer,
    nativeBinding: options.nativeBinding,
  })
  try {
    const started = await station.start({
      host: listen.host,
      httpPort: listen.port,
      httpsPort: listen.httpsPort,
      http: listen.http,
      httpsOptional: listen.httpsOptional,
    })
    const urls = (): string[] => {
      const http = station.bound().http
      return http ? receiverUrls(listen.host, http.port) : []
    }
    return { station, urls, warnings: started.httpsError ? [started.httpsError] : [] }
  } catch (err) {
    await station.close()
    throw listenError(err, listen)
  }
}

/** What could not listen, in the desk's terms: the variable that changes it, not a CLI flag. */
function listenError(err: unknown, listen: ListenConfig): DeskListenError {
  const code = (err as NodeJS.ErrnoException).code
  const failedPort = (err as { port?: number }).port
  const https = failedPort !== undefined && failedPort === listen.httpsPort
  const what = https ? 'HTTPS receiver' : 'receiver'
  const variable = https ? 'GATEHOUSE_HTTPS_PORT' : 'GATEHOUSE_PORT'
  const port = https ? listen.httpsPort : listen.port
  if (code === 'EADDRINUSE') {
    return new DeskListenError(
      `The ${what}'s port ${port} is in use (another Gatehouse station?). Quit the other one, or start the desk with another port in ${variable}.`,
      { cause: err },
    )
  }
  if (code === 'EACCES') {
    return new DeskListenError(`The ${what}'s port ${port} needs privileges here: choose one above 1023 in ${variable}.`, { cause: err })
  }
  if (code === 'EADDRNOTAVAIL') {
    return new DeskListenError(
      `${listen.host} (GATEHOUSE_HOST) is not an address of this machine: set GATEHOUSE_HOST to one that is, or unset it.`,
      {
        cause: err,
      },
    )
  }
  return new DeskListenError(`The ${what} could not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}
