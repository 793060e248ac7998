// Numbered schema migrations, tracked by PRAGMA user_version. Append only: never edit a shipped one.
import type { Database } from 'better-sqlite3'
import { migrateCredentials } from './migration-4-credentials'
import { migrateVenueRules } from './migration-5-venue-rules'

export interface Migration {
  version: number
  name: string
  up: (db: Database) => void
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'webhook log, allowlists, settings',
    up: (db) =>
      db.exec(`
        CREATE TABLE webhook_log (
          id INTEGER PRIMARY KEY,
          endpoint TEXT NOT NULL,
          method TEXT NOT NULL,
          status INTEGER NOT NULL,
          source_ip TEXT NOT NULL,
          received_at INTEGER NOT NULL,
          response_time_ms REAL NOT NULL,
          reason TEXT,
          headers TEXT NOT NULL,
          body BLOB,
          body_size INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX webhook_log_received ON webhook_log(received_at);
        CREATE INDEX webhook_log_endpoint ON webhook_log(endpoint, id);
        CREATE INDEX webhook_log_status ON webhook_log(status, id);
        CREATE INDEX webhook_log_endpoint_status ON webhook_log(endpoint, status, id);

        CREATE TABLE allowlist (
          id INTEGER PRIMARY KEY,
          endpoint TEXT NOT NULL,
          entry TEXT NOT NULL,
          label TEXT,
          created_at INTEGER NOT NULL,
          hits INTEGER NOT NULL DEFAULT 0,
          last_hit_at INTEGER,
          UNIQUE (endpoint, entry)
        ) STRICT;

        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `),
  },
  {
    version: 2,
    name: 'access control: projects, attendees, Cvent events, gateways, readers, decisions, alerts',
    up: (db) =>
      db.exec(`
        CREATE TABLE teams (
          id INTEGER PRIMARY KEY,
          slug TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE projects (
          id INTEGER PRIMARY KEY,
          team_id INTEGER NOT NULL REFERENCES teams (id),
          slug TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          UNIQUE (team_id, slug)
        ) STRICT;

        CREATE TABLE attendees (
          id INTEGER PRIMARY KEY,
          project_id INTEGER NOT NULL REFERENCES projects (id),
          external_id TEXT NOT NULL,
          first_name TEXT NOT NULL,
          last_name TEXT NOT NULL,
          email TEXT,
          attendee_type TEXT NOT NULL DEFAULT 'general',
          credential_value TEXT,
          -- what a reader scans: the credential, or the external id when there is none
          credential TEXT GENERATED ALWAYS AS (coalesce(credential_value, external_id)) STORED,
          cancelled INTEGER NOT NULL DEFAULT 0,
          checked_in_at INTEGER,
          last_scan_at INTEGER,
          source TEXT NOT NULL DEFAULT 'sync',
          -- the timestamp of the last Cvent event applied to this registration
          cvent_event_at INTEGER,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          UNIQUE (project_id, external_id)
        ) STRICT;
        CREATE INDEX attendees_credential ON attendees (project_id, credential);
        CREATE INDEX attendees_name ON attendees (last_name, first_name);

        CREATE TABLE cvent_events (
          event_id TEXT PRIMARY KEY,
          event_type TEXT NOT NULL,
          registration_id TEXT NOT NULL,
          event_at INTEGER NOT NULL,
          received_at INTEGER NOT NULL,
          applied INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE gateways (
          id INTEGER PRIMARY KEY,
          gateway_id TEXT NOT NULL UNIQUE,
          status TEXT NOT NULL,
          reported_at INTEGER,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE readers (
          id INTEGER PRIMARY KEY,
          reader_id TEXT NOT NULL UNIQUE,
          gateway_id INTEGER REFERENCES gateways (id),
          status TEXT,
          reported_at INTEGER,
          last_scan INTEGER,
          last_seen INTEGER,
          project_id INTEGER REFERENCES projects (id),
          enabled INTEGER NOT NULL DEFAULT 1,
          allowed_types TEXT,
          anti_passback_seconds INTEGER
        ) STRICT;

        CREATE TABLE decisions (
          id INTEGER PRIMARY KEY,
          reader_id TEXT NOT NULL,
          credential_value TEXT NOT NULL,
          scan_type TEXT,
          scanned_at INTEGER,
          decided_at INTEGER NOT NULL,
          granted INTEGER NOT NULL,
          reason TEXT NOT NULL,
          attendee_id INTEGER,
          project_id INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX decisions_retry ON decisions (reader_id, credential_value, scanned_at) WHERE scanned_at IS NOT NULL;
        CREATE INDEX decisions_decided ON decisions (decided_at);
        CREATE INDEX decisions_passback ON decisions (attendee_id, reader_id, decided_at) WHERE granted = 1;

        CREATE TABLE alerts (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          severity TEXT NOT NULL,
          subject TEXT NOT NULL,
          message TEXT NOT NULL,
          raised_at INTEGER NOT NULL,
          resolved_at INTEGER,
          acknowledged_at INTEGER,
          acknowledged_by TEXT
        ) STRICT;
        CREATE UNIQUE INDEX alerts_open ON alerts (kind, subject) WHERE resolved_at IS NULL;
        CREATE INDEX alerts_raised ON alerts (raised_at);
      `),
  },
  {
    version: 3,
    name: 'webhook log: the body timestamp, the "late" label, the body digest (replay guard)',
    up: (db) =>
      db.exec(`
        ALTER TABLE webhook_log ADD COLUMN sent_at INTEGER;
        ALTER TABLE webhook_log ADD COLUMN late INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE webhook_log ADD COLUMN body_sha256 BLOB;
      `),
  },
  {
    version: 4,
    name: 'one credential, one person: canonical credentials, conflicts, registration projects, bounded retries, clock ahead',
    up: (db) => migrateCredentials(db),
  },
  {
    version: 5,
    name: 'venue rules: zones and presence, reader zones, directions and hours, watch list, overrides, lockdowns',
    up: (db) => migrateVenueRules(db),
  },
  {
    version: 6,
    name: 'refusals stored small and aggregated (count, last arrival, refused flag); alerts that summarise a burst',
    up: (db) =>
      db.exec(`
        -- One entry may stand for many refused requests from one source within a minute.
        ALTER TABLE webhook_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE webhook_log ADD COLUMN last_received_at INTEGER;
        -- A request whose signature was never verified (or a replay): the size budget may trim it first.
        ALTER TABLE webhook_log ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
        UPDATE webhook_log SET refused = 1
          WHERE status IN (401, 403, 404, 405, 408, 409, 413, 415, 429, 431) OR endpoint = '(malformed request)';
        CREATE INDEX webhook_log_refused ON webhook_log (received_at) WHERE refused = 1;

        ALTER TABLE alerts ADD COLUMN count INTEGER;
        -- JSON: [{"address": "10.0.0.5", "count": 40}, …], the busiest sources of a burst.
        ALTER TABLE alerts ADD COLUMN top_sources TEXT;
        ALTER TABLE alerts ADD COLUMN updated_at INTEGER;
      `),
  },
]

export const LATEST_VERSION = migrations.at(-1)?.version ?? 0
