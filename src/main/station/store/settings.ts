// Small key/value settings (JSON values), shared by the station and the CLI.
import type { Db } from './db'

export type SettingsStore = ReturnType<typeof createSettingsStore>

export function createSettingsStore(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
  const set = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  return {
    get<T>(key: string, fallback: T): T {
      const row = get.get(key)
      if (!row) return fallback
      try {
        return JSON.parse(row.value) as T
      } catch {
        return fallback
      }
    },
    set(key: string, value: unknown): void {
      set.run(key, JSON.stringify(value))
    },
  }
}
