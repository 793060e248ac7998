// Windows logoff, restart or shutdown: Electron emits neither before-quit nor will-quit, only the
// window's `session-end`, and Windows may end the process as soon as that handler returns — no
// time for an orderly, asynchronous close. So the store is closed here, synchronously: whatever
// is queued is committed, the connection closed (SQLite checkpoints the WAL), the running marker
// removed. The orderly close is started first (it stops the timers at once) and runs on if the
// process is granted the time. Plain Node (no electron import).
import { markStopped } from '../station/store/startup-check'
import type { Station } from '../station/station'

export function endSessionNow(station: Station | null, quit: () => Promise<void>): void {
  void quit()
  if (!station) return
  station.queue.flush()
  if (station.db.open) station.db.close()
  // Only after a close that succeeded: otherwise the next start runs the full integrity check.
  markStopped(station.dataDir)
}
