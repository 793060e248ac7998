import { MAX_REPLAY_WINDOW_SECONDS } from '../../../../shared/station-settings'

/** The replay window as typed: whole seconds, 1–3600 (the guard remembers bodies that long). */
export function parseReplayWindow(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return { ok: false, error: `Whole seconds, 1–${MAX_REPLAY_WINDOW_SECONDS}` }
  const n = Number(t)
  if (n < 1 || n > MAX_REPLAY_WINDOW_SECONDS) return { ok: false, error: `Between 1 and ${MAX_REPLAY_WINDOW_SECONDS} seconds` }
  return { ok: true, value: n }
}
