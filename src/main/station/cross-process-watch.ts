// Changes made by other processes (the CLI) take effect within a second: PRAGMA data_version moves
// when another connection commits; the secrets file and the certificate are re-read when they change.
import type { Db } from './store/db'
import type { Hub } from './hub'
import type { StationEvents } from '../../shared/events'
import type { AccessControl } from './access/control'
import type { SecretStore } from './secrets'
import type { Listeners } from './receiver/listeners'

export interface WatchDeps {
  db: Db
  hub: Hub<StationEvents>
  access: AccessControl
  secrets: SecretStore
  listeners: Listeners
  /** Re-read what another process may have changed in the store. */
  reloadAllowlist(): void
  reloadSettings(): Promise<void>
}

/** Starts watching; returns the stop function. */
export function watchOtherProcesses(deps: WatchDeps, intervalMs = 500): () => void {
  const { db, hub, access, secrets, listeners } = deps
  let dataVersion = db.pragma('data_version', { simple: true }) as number
  // Open alerts already acknowledged, as the desk last heard of them: one acknowledged from the
  // CLI reaches the desk like one acknowledged there.
  const acknowledged = new Set<number>()
  const noteAck = (a: { id: number; acknowledged_at: string | null; resolved_at: string | null }): void => {
    if (a.acknowledged_at !== null && a.resolved_at === null) acknowledged.add(a.id)
    else if (a.resolved_at !== null) acknowledged.delete(a.id)
  }
  for (const a of access.alerts.open()) noteAck(a)
  const offAck = hub.on('alert:changed', noteAck)

  const tick = (): void => {
    try {
      const v = db.pragma('data_version', { simple: true }) as number
      if (v !== dataVersion) {
        dataVersion = v
        deps.reloadAllowlist()
        access.projects.invalidate()
        for (const alert of access.alerts.open()) {
          if (alert.acknowledged_at !== null && !acknowledged.has(alert.id)) hub.emit('alert:changed', alert)
        }
        hub.emit('config:changed', { what: 'allowlist' })
        void deps.reloadSettings().catch(() => undefined)
      }
      if (secrets.reloadIfChanged()) hub.emit('config:changed', { what: 'secrets' })
      void listeners.reloadCertificateIfChanged().then(
        (changed) => changed && hub.emit('config:changed', { what: 'settings' }),
        () => undefined,
      )
    } catch {
      // A store fault here is reported by the commit path; keep watching.
    }
  }
  const timer = setInterval(tick, intervalMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    offAck()
  }
}
