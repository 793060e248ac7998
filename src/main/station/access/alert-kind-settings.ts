// What an admin set per alert kind (priority, instructions, reactivation window), over the defaults
// in src/shared/alerts.ts. Read on every raise, so a change made from the CLI applies to the running
// station's next alert without a restart.
import type { Db } from '../store/db'
import { ALERT_KINDS, type AlertKind } from '../../../shared/domain'
import {
  DEFAULT_ALERT_PRIORITY,
  DEFAULT_INSTRUCTIONS,
  DEFAULT_REACTIVATION_MINUTES,
  DEFAULT_SNOOZE_MAX_MINUTES,
  type AlertKindSettings,
} from '../../../shared/alerts'

interface Row {
  kind: string
  priority: number | null
  instructions: string | null
  reactivation_minutes: number | null
  snooze_max_minutes: number | null
  updated_at: number
  updated_by: string
}

export interface KindSettingsChange {
  priority?: number
  instructions?: string
  reactivation_minutes?: number
  snooze_max_minutes?: number
}

export type AlertKindSettingsStore = ReturnType<typeof createAlertKindSettings>

export function createAlertKindSettings(db: Db) {
  const one = db.prepare<[string], Row>('SELECT * FROM alert_kind_settings WHERE kind = ?')
  const all = db.prepare<[], Row>('SELECT * FROM alert_kind_settings')
  const upsert = db.prepare<[string, number | null, string | null, number | null, number | null, number, string]>(
    `INSERT INTO alert_kind_settings (kind, priority, instructions, reactivation_minutes, snooze_max_minutes, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind) DO UPDATE SET priority = excluded.priority, instructions = excluded.instructions,
       reactivation_minutes = excluded.reactivation_minutes, snooze_max_minutes = excluded.snooze_max_minutes,
       updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  )
  const remove = db.prepare<[string]>('DELETE FROM alert_kind_settings WHERE kind = ?')

  const view = (kind: AlertKind, r: Row | undefined): AlertKindSettings => ({
    kind,
    priority: r?.priority ?? DEFAULT_ALERT_PRIORITY[kind],
    instructions: r?.instructions ?? DEFAULT_INSTRUCTIONS[kind] ?? '',
    reactivation_minutes: r?.reactivation_minutes ?? DEFAULT_REACTIVATION_MINUTES,
    snooze_max_minutes: r?.snooze_max_minutes ?? DEFAULT_SNOOZE_MAX_MINUTES,
    customised: r !== undefined,
    updated_at: r ? new Date(r.updated_at).toISOString() : null,
    updated_by: r?.updated_by ?? null,
  })

  return {
    get: (kind: AlertKind): AlertKindSettings => view(kind, one.get(kind)),
    all(): AlertKindSettings[] {
      const rows = new Map(all.all().map((r) => [r.kind, r]))
      return ALERT_KINDS.map((k) => view(k, rows.get(k)))
    },
    /** Applies a change (fields left out keep their value); run it in a write. */
    set(kind: AlertKind, change: KindSettingsChange, by: string, at = Date.now()): AlertKindSettings {
      const current = view(kind, one.get(kind))
      upsert.run(
        kind,
        change.priority ?? current.priority,
        change.instructions ?? current.instructions,
        change.reactivation_minutes ?? current.reactivation_minutes,
        change.snooze_max_minutes ?? current.snooze_max_minutes,
        at,
        by,
      )
      return view(kind, one.get(kind))
    },
    reset(kind: AlertKind): AlertKindSettings {
      remove.run(kind)
      return view(kind, undefined)
    },
  }
}
