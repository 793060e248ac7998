// Migration 5: venue rules. Zones (capacity, area anti-passback, a daily reset hour) and who is
// inside each (one zone per person at a time, with the count kept beside it so a capacity check
// is one row read); readers get a zone, a direction and opening hours; a watch list of blocked
// and VIP credentials or attendees; one-time overrides; lockdowns; and on each decision the
// zone movement it made and the officer who overrode it.
import type { Database } from 'better-sqlite3'

export function migrateVenueRules(db: Database): void {
  db.exec(`
    CREATE TABLE zones (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      capacity INTEGER,
      hard INTEGER NOT NULL DEFAULT 0,
      anti_passback INTEGER NOT NULL DEFAULT 0,
      -- local hour (0–23) at which the inside count starts again from nobody; NULL: never by itself
      reset_hour INTEGER,
      last_reset_at INTEGER,
      inside INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE presence (
      attendee_id INTEGER PRIMARY KEY,
      zone_id INTEGER NOT NULL REFERENCES zones (id),
      entered_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX presence_zone ON presence (zone_id);

    ALTER TABLE readers ADD COLUMN zone_id INTEGER REFERENCES zones (id);
    ALTER TABLE readers ADD COLUMN direction TEXT NOT NULL DEFAULT 'entry';
    -- JSON [["08:00","18:30"], …] in the station's local time; NULL: always open
    ALTER TABLE readers ADD COLUMN open_windows TEXT;

    CREATE TABLE watch_list (
      id INTEGER PRIMARY KEY,
      -- what is flagged: a credential (in any project) or one attendee
      credential TEXT,
      attendee_id INTEGER REFERENCES attendees (id),
      kind TEXT NOT NULL CHECK (kind IN ('blocked', 'vip')),
      note TEXT NOT NULL DEFAULT '',
      until_at INTEGER,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      removed_at INTEGER,
      removed_by TEXT,
      CHECK ((credential IS NULL) != (attendee_id IS NULL))
    ) STRICT;
    CREATE INDEX watch_list_credential ON watch_list (credential) WHERE removed_at IS NULL;
    CREATE INDEX watch_list_attendee ON watch_list (attendee_id) WHERE removed_at IS NULL;

    CREATE TABLE overrides (
      id INTEGER PRIMARY KEY,
      reader_id TEXT NOT NULL,
      -- NULL: the next scan at the reader, whoever it is
      credential TEXT,
      expires_at INTEGER NOT NULL,
      note TEXT NOT NULL DEFAULT '',
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      used_at INTEGER,
      used_by_decision INTEGER,
      cancelled_at INTEGER
    ) STRICT;
    CREATE INDEX overrides_open ON overrides (reader_id, expires_at) WHERE used_at IS NULL AND cancelled_at IS NULL;

    -- scope '*' is every reader; otherwise a zone's name
    CREATE TABLE lockdowns (
      scope TEXT PRIMARY KEY,
      by TEXT NOT NULL,
      at INTEGER NOT NULL,
      note TEXT NOT NULL DEFAULT ''
    ) STRICT;

    ALTER TABLE decisions ADD COLUMN zone_id INTEGER;
    -- 'in' or 'out' of zone_id when the grant moved the person; NULL otherwise
    ALTER TABLE decisions ADD COLUMN movement TEXT;
    ALTER TABLE decisions ADD COLUMN override_by TEXT;
    ALTER TABLE decisions ADD COLUMN watch_id INTEGER;
  `)
}
