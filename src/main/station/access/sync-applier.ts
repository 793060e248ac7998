// attendee-sync applied in slices, so a 100k-row sync never stalls the gates: each slice of rows
// is one write in the commit queue, committed with whatever scans arrived meanwhile, and scans are
// answered between slices. All-or-nothing still holds: the slices journal what they did
// (sync-journal.ts) and the journal goes in the same commit as the sync's log entry, its 2xx
// leaving only after that; a sync cut short is undone. A sync that fits in one slice is one commit
// and writes no journal.
import type { CommitQueue } from '../store/commit-queue'
import type { Hub } from '../hub'
import type { StationEvents } from '../../../shared/events'
import type { AttendeeSyncPayload } from '../../../shared/webhooks'
import type { WebhookLogRecord } from '../../../shared/log'
import type { EndpointOutcome } from '../receiver/app'
import type { Projects } from './projects'
import { emptySyncResults, type Attendees } from './attendees'
import { SliceChanges, type SyncJournal } from './sync-journal'
import type { OneAtATime } from './one-at-a-time'
import { syncOutcome } from './handlers'

/** Rows per slice: a few tens of milliseconds of work, so a scan waits at most about that long. */
export const DEFAULT_SYNC_SLICE_ROWS = 1_000
/** How often an undo that met a store fault is tried again (ms). */
const UNDO_RETRY_MS = 1_000

export interface SyncApplierDeps {
  queue: CommitQueue
  hub: Hub<StationEvents>
  projects: Projects
  attendees: Attendees
  journal: SyncJournal
  /** Serialises the writers of attendees (syncs and Cvent). */
  attendeeWriters: OneAtATime
  sliceRows?: number
  /** Told when an undo could not be written yet (it is retried; the next start does it otherwise). */
  onUndoPending?: (err: unknown) => void
}

export interface Applied {
  outcome: EndpointOutcome
  record: WebhookLogRecord
}

export type SyncApplier = ReturnType<typeof createSyncApplier>

export function createSyncApplier(deps: SyncApplierDeps) {
  const sliceRows = Math.max(1, deps.sliceRows ?? DEFAULT_SYNC_SLICE_ROWS)

  /** Undoes a run, trying again while the store cannot be written; resolves once it is undone. */
  async function undo(runId: number): Promise<void> {
    for (;;) {
      try {
        await deps.queue.enqueue(() => deps.journal.undo(runId))
        return
      } catch (err) {
        deps.onUndoPending?.(err)
        await new Promise((resolve) => setTimeout(resolve, UNDO_RETRY_MS).unref())
      }
    }
  }

  async function applySlices(payload: AttendeeSyncPayload, log: (outcome: EndpointOutcome) => WebhookLogRecord): Promise<Applied> {
    const rows = payload.attendees
    const results = emptySyncResults()
    let projectId = 0
    let runId = 0
    try {
      for (let from = 0; ; from += sliceRows) {
        const to = Math.min(rows.length, from + sliceRows)
        const last = to === rows.length
        const applied = await deps.queue.enqueue((): Applied | null => {
          if (from === 0) {
            projectId = deps.projects.ensure(payload.team_slug, payload.project_slug)
            if (!last) runId = deps.journal.begin(projectId, Date.now())
          }
          const slice = runId ? new SliceChanges() : null
          for (let i = from; i < to; i++) deps.attendees.syncRow(projectId, payload.sync_mode, rows[i], i, results, slice?.hook)
          if (slice) deps.journal.record(runId, slice)
          if (!last) return null
          if (runId) deps.journal.finish(runId)
          const outcome = syncOutcome(deps.hub, payload, results)
          return { outcome, record: log(outcome) }
        })
        if (applied) return applied
      }
    } catch (err) {
      // A slice failed (store fault or a bug): nothing of this sync may stay.
      if (runId) await undo(runId)
      throw err
    }
  }

  return {
    /** Applies one sync (after any other attendee writer); `log` adds its log entry in the last commit. */
    apply: (payload: AttendeeSyncPayload, log: (outcome: EndpointOutcome) => WebhookLogRecord): Promise<Applied> =>
      deps.attendeeWriters.run(() => applySlices(payload, log)),
  }
}
