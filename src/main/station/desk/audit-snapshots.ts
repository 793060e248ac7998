// What an audited desk command changes, read before it runs (the "before" of before → after).
// Commands without an entry here are recorded with their input and result only.
import type { CommandName } from '../../../shared/contract'
import type { Station } from '../station'

type Snapshot = (station: Station, input: Record<string, unknown>) => unknown

const SNAPSHOTS: Partial<Record<CommandName, Snapshot>> = {
  'alerts:acknowledge': (s, i) => s.access.alerts.get(i.id as number) ?? null,
  'allowlist:add': (s, i) => s.allowlist.list(i.endpoint as never),
  'allowlist:remove': (s, i) => s.allowlist.list(i.endpoint as never),
  'allowlist:set': (s, i) => s.allowlist.list(i.endpoint as never),
  'secret:rotate': (s, i) => {
    const info = s.secrets.info(i.endpoint as never)
    return { created_at: info.created_at, origin: info.origin, previous_valid_until: info.previous_valid_until }
  },
  'replay:set': (s, i) => s.replay.config()[i.endpoint as never],
  'http:set': (s) => ({ http_enabled: s.receiverSettings.httpEnabled() }),
  'settings:set': (s, i) => {
    const setting = s.runtime.view().settings.find((x) => x.name === i.name)
    return setting ? { value: setting.value, source: setting.source, stored: setting.stored } : null
  },
  'projects:set-default': (s) => s.access.projects.list(),
  'zones:configure': (s, i) => s.venue.zones().find((z) => z.name === i.name) ?? null,
  'zones:reset': (s, i) => s.venue.zones().find((z) => z.name === i.name) ?? null,
  'lockdown:set': (s) => s.venue.lockdowns(),
  'notify:update': (s, i) => s.notify.list().find((t) => t.id === i.id) ?? null,
  'notify:remove': (s, i) => s.notify.list().find((t) => t.id === i.id) ?? null,
}

export function snapshotBefore(station: Station, name: CommandName, input: unknown): unknown {
  const take = SNAPSHOTS[name]
  if (!take) return undefined
  try {
    return take(station, (input ?? {}) as Record<string, unknown>)
  } catch {
    // A snapshot is for the record; it never stops the command.
    return undefined
  }
}
