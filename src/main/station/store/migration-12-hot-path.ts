// Migration 12: indexes the hot path can afford, and a journal that lets a sync give way to scans. Every index is one more b-tree page to find and
// dirty per write, and a page found at random (a badge's credential) costs far more than one at
// the right edge (a time).
// - attendees: one index on (project_id, credential) for usable credentials (the unique one that
//   keeps one credential one person) and a small one for the few blocked by a conflict, instead of
//   a second full index beside the unique one (which made a 100k-row sync about 5× slower).
// - decisions_retry leads with scanned_at, so each new scan is written near the index's right
//   edge instead of at its reader's place among all readers.
// - The attendee-sync journal: a large sync is applied in slices, each its own commit, so scans
//   are answered in between; what each slice changed is journalled so that a sync cut short (a
//   crash, a store fault) is undone, at once or at the next start (access/sync-journal.ts).
import type { Db } from './db'

export function migrateHotPathIndexes(db: Db): void {
  db.exec(`
    DROP INDEX attendees_credential;
    CREATE INDEX attendees_blocked_credential ON attendees (project_id, credential) WHERE credential_blocked = 1;

    DROP INDEX decisions_retry;
    CREATE UNIQUE INDEX decisions_retry ON decisions (scanned_at, reader_id, credential_value)
      WHERE scanned_at IS NOT NULL AND retry_of IS NULL;

    CREATE TABLE sync_runs (
      id INTEGER PRIMARY KEY,
      project_id INTEGER NOT NULL,
      started_at INTEGER NOT NULL
    ) STRICT;
    -- One row per slice of a running sync: the attendees it created (JSON [[first_id, last_id], …])
    -- and the synced fields of those it changed as they were (JSON [{id, first_name, …}, …]).
    -- Deleted with its run in the sync's last commit.
    CREATE TABLE sync_undo (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES sync_runs (id),
      created TEXT NOT NULL,
      changed TEXT NOT NULL
    ) STRICT;
    CREATE INDEX sync_undo_run ON sync_undo (run_id, id);
  `)
}
