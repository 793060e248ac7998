// Which listeners run: plain HTTP unless switched off (setting, or `--no-http` for this run),
// HTTPS unless it has no port. Plain HTTP is only ever closed while HTTPS listens, so no setting
// can leave the station deaf.
import type { ReceiverSettings } from '../store/receiver-settings'
import type { Bound, Listeners } from './listeners'

export interface StartOptions {
  host: string
  httpPort: number
  httpsPort: number | null
  http?: boolean
  /** An HTTPS port already in use is reported in `httpsError` instead of thrown (while plain HTTP serves). */
  httpsOptional?: boolean
}

export interface Started {
  http: Bound | null
  https: Bound | null
  httpsError: string | null
}

export function createListenerPolicy(listeners: Listeners, settings: ReceiverSettings) {
  let httpForcedOff = false
  return {
    async start({ host, httpPort, httpsPort, http = true, httpsOptional = false }: StartOptions): Promise<Started> {
      httpForcedOff = !http
      if (!http && httpsPort === null) throw new Error('plain HTTP is off and HTTPS has no port: nothing would receive webhooks')
      let https: Bound | null = null
      let httpsError: string | null = null
      if (httpsPort !== null) {
        try {
          https = await listeners.startHttps(host, httpsPort)
        } catch (err) {
          if (!(httpsOptional && http && (err as NodeJS.ErrnoException).code === 'EADDRINUSE')) throw err
          httpsError = `HTTPS not started: port ${httpsPort} is in use`
        }
      }
      const plain = http && (settings.httpEnabled() || https === null)
      return { http: await listeners.startHttp(host, httpPort, plain), https, httpsError }
    },
    /** Applies the plain-HTTP setting as it is now. */
    async reconcile(): Promise<void> {
      const wanted = !httpForcedOff && (settings.httpEnabled() || listeners.bound().https === null)
      await listeners.setHttpEnabled(wanted)
    },
  }
}
