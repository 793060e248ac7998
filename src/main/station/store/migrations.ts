// Numbered schema migrations, tracked by PRAGMA user_version. Append only: never edit a shipped one.
import type { Database } from 'better-sqlite3'
import { migrateCredentials } from './migration-4-credentials'
import { migrateVenueRules } from './migration-5-venue-rules'
import { migrateHotPathIndexes } from './migration-12-hot-path'
import { migrateAlarmHandling } from './migration-9-alarm-handling'

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
  {
    version: 8,
    name: 'notifications: targets, alert changes written by triggers in the same commit, the delivery outbox',
    up: (db) =>
      db.exec(`
        CREATE TABLE notify_targets (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE COLLATE NOCASE,
          kind TEXT NOT NULL DEFAULT 'webhook' CHECK (kind IN ('webhook')),
          url TEXT NOT NULL,
          -- the key of its signing secret in notify-secrets.json (secrets stay out of the store and its backups)
          secret_ref TEXT NOT NULL UNIQUE,
          min_priority INTEGER NOT NULL CHECK (min_priority BETWEEN 1 AND 5),
          -- the last alert change when it was added: it gets the changes after that one
          since_change_id INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          last_attempt_at INTEGER,
          last_success_at INTEGER,
          last_status INTEGER,
          last_error TEXT,
          failing_since INTEGER
        ) STRICT;

        -- One row per change of an alert, written by the triggers below inside the transaction
        -- that changes the alert: a committed change is in here, whoever wrote it (station, CLI).
        CREATE TABLE alert_changes (
          id INTEGER PRIMARY KEY,
          -- webhook-id: random, the same on every retry (the receiver's idempotency key)
          message_id TEXT NOT NULL UNIQUE,
          alert_id INTEGER NOT NULL,
          change TEXT NOT NULL,
          changed_at INTEGER NOT NULL,
          -- the alert row as it was after the change, as JSON
          alert TEXT NOT NULL,
          fanned_out INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX alert_changes_unsent ON alert_changes (id) WHERE fanned_out = 0;

        CREATE TABLE notify_outbox (
          id INTEGER PRIMARY KEY,
          change_id INTEGER NOT NULL REFERENCES alert_changes (id) ON DELETE CASCADE,
          target_id INTEGER NOT NULL REFERENCES notify_targets (id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          -- null once delivered or given up
          next_attempt_at INTEGER,
          last_attempt_at INTEGER,
          last_error TEXT,
          delivered_at INTEGER,
          gave_up_at INTEGER,
          UNIQUE (change_id, target_id)
        ) STRICT;
        CREATE INDEX notify_outbox_due ON notify_outbox (target_id, next_attempt_at, id) WHERE next_attempt_at IS NOT NULL;
        CREATE INDEX notify_outbox_change ON notify_outbox (change_id);

        CREATE TRIGGER alerts_notify_insert AFTER INSERT ON alerts BEGIN
          INSERT INTO alert_changes (message_id, alert_id, change, changed_at, alert) VALUES (
            'msg_' || lower(hex(randomblob(16))),
            NEW.id,
            CASE WHEN NEW.resolved_at IS NULL THEN 'raised' ELSE 'recorded' END,
            NEW.raised_at,
            json_object('id', NEW.id, 'kind', NEW.kind, 'severity', NEW.severity, 'subject', NEW.subject, 'message', NEW.message,
              'raised_at', NEW.raised_at, 'resolved_at', NEW.resolved_at, 'acknowledged_at', NEW.acknowledged_at,
              'acknowledged_by', NEW.acknowledged_by, 'count', NEW.count, 'top_sources', NEW.top_sources, 'updated_at', NEW.updated_at));
        END;
        CREATE TRIGGER alerts_notify_update AFTER UPDATE ON alerts BEGIN
          INSERT INTO alert_changes (message_id, alert_id, change, changed_at, alert) VALUES (
            'msg_' || lower(hex(randomblob(16))),
            NEW.id,
            CASE
              WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL THEN 'resolved'
              WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL THEN 'acknowledged'
              ELSE 'updated'
            END,
            CASE
              WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL THEN NEW.resolved_at
              WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL THEN NEW.acknowledged_at
              ELSE CAST(unixepoch('subsec') * 1000 AS INTEGER)
            END,
            json_object('id', NEW.id, 'kind', NEW.kind, 'severity', NEW.severity, 'subject', NEW.subject, 'message', NEW.message,
              'raised_at', NEW.raised_at, 'resolved_at', NEW.resolved_at, 'acknowledged_at', NEW.acknowledged_at,
              'acknowledged_by', NEW.acknowledged_by, 'count', NEW.count, 'top_sources', NEW.top_sources, 'updated_at', NEW.updated_at));
        END;
      `),
  },
  {
    version: 9,
    name: 'alarm handling: priorities, states, snoozes, occurrences, the notes history, per-kind settings; notification snapshots with them',
    up: (db) => migrateAlarmHandling(db),
  },
  {
    version: 10,
    name: 'the audit log: who changed or acknowledged what, before and after, from which desk',
    up: (db) =>
      db.exec(`
        -- Kept whatever the retention settings: never pruned (so never sooner than the webhook log).
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          operator TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
          -- the desk command ('allowlist:set') or CLI command ('cli allowlist set')
          command TEXT NOT NULL,
          -- 'electron', 'cli', or 'desk:<session id>' (a browser-mode desk)
          source TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
          -- JSON, secrets redacted: the command's input, the state before and after
          input TEXT,
          before TEXT,
          after TEXT,
          detail TEXT
        ) STRICT;
        CREATE INDEX audit_log_at ON audit_log (at);
      `),
  },
  {
    version: 12,
    name: 'hot path: one credential index per state (usable, blocked), the retry index led by scan time, the sliced-sync journal',
    up: (db) => migrateHotPathIndexes(db),
  },
  {
    version: 14,
    name: 'hot path: the per-reader duplicate window is answered from memory (access/recent-grants.ts), not an index led by attendee',
    // That index put every grant on a random page of the file: the costliest write of a scan.
    up: (db) => db.exec('DROP INDEX decisions_passback'),
  },
  {
    version: 15,
    name: "the log's endpoint index carries status and arrival time, so a filter on them walks the index alone",
    // A page of one endpoint filtered by a status class or a day last week walked back through the
    // endpoint's entries, reading each one's row for its status or time (20-30 ms on 1M entries).
    up: (db) =>
      db.exec(`
        DROP INDEX webhook_log_endpoint;
        CREATE INDEX webhook_log_endpoint ON webhook_log (endpoint, id, status, received_at);
      `),
  },
]

export const LATEST_VERSION = migrations.at(-1)?.version ?? 0
