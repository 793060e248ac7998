// The desk's commands for the receiver's protections, shown in the Webhooks view: TLS and plain
// HTTP, the replay guard per endpoint, retention, and how the secrets are stored.
import { receiverUrls } from '../receiver/server'
import { DEFAULT_GRACE_MS } from '../secrets'
import type { Station } from '../station'
import { LATE_AFTER_SECONDS, type StationSettingsView } from '../../../shared/station-settings'
import type { DeskCommandDeps, DeskCommands } from './command-types'
import { DeskError } from './errors'

type SecurityCommands = Pick<DeskCommands, 'station:settings' | 'replay:set' | 'http:set'>

/** Base URLs over HTTPS, one per LAN address; empty while HTTPS is not listening. */
export function httpsBaseUrls(station: Station): string[] {
  const b = station.bound().https
  return b ? receiverUrls(b.host, b.port, 'https') : []
}

export function stationSettings(station: Station): StationSettingsView {
  const bound = station.bound()
  const cert = station.certificate()
  return {
    tls: cert && { ...cert, https_urls: httpsBaseUrls(station), https_port: bound.https?.port ?? null },
    http_enabled: bound.http !== null,
    http_urls: bound.http ? receiverUrls(bound.http.host, bound.http.port) : [],
    replay_guards: station.replay.config(),
    late_after_seconds: LATE_AFTER_SECONDS,
    retention: station.retention.view(),
    secrets: {
      sealed_with: station.secrets.sealerKind(),
      file: station.secrets.file,
      warning: station.secrets.sealerWarning(),
      default_grace_hours: DEFAULT_GRACE_MS / 3_600_000,
    },
  }
}

export function createSecurityDeskCommands({ station }: DeskCommandDeps): SecurityCommands {
  return {
    'station:settings': () => stationSettings(station),
    'replay:set': async ({ endpoint, enabled, window_seconds }) => {
      const change = window_seconds === undefined ? { enabled } : { enabled, window_seconds }
      const next = await station.queue.enqueue(() => station.receiverSettings.setReplayGuard(endpoint, change))
      await station.reloadSettings()
      return { endpoint, ...next }
    },
    'http:set': async ({ enabled }) => {
      if (!enabled && !station.bound().https) {
        throw new DeskError('CONFLICT', 'HTTPS is not listening: turning plain HTTP off would leave gateways nowhere to send webhooks')
      }
      await station.queue.enqueue(() => station.receiverSettings.setHttpEnabled(enabled))
      await station.reloadSettings()
      return stationSettings(station)
    },
  }
}
