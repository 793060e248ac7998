// Migration 9: alarm handling. Alerts get a priority, a state (open → acknowledged → investigating
// → resolved, or snoozed), who investigated and resolved them, and an occurrence count (a resolved
// alert that recurs within its kind's reactivation window reopens); every transition and note goes
// into alert_notes; an admin's per-kind priority, instructions and reactivation window live in
// alert_kind_settings, with the longest snooze allowed. The notification triggers of migration 8 are recreated so that each change's
// snapshot carries the new columns; they are dropped while old rows are back-filled, so the
// back-fill sends no notification.
import type { Database } from 'better-sqlite3'

const ALERT_JSON = `json_object('id', NEW.id, 'kind', NEW.kind, 'severity', NEW.severity, 'subject', NEW.subject, 'message', NEW.message,
  'raised_at', NEW.raised_at, 'resolved_at', NEW.resolved_at, 'acknowledged_at', NEW.acknowledged_at,
  'acknowledged_by', NEW.acknowledged_by, 'count', NEW.count, 'top_sources', NEW.top_sources, 'updated_at', NEW.updated_at,
  'priority', NEW.priority, 'state', NEW.state, 'snoozed_until', NEW.snoozed_until, 'investigating_at', NEW.investigating_at,
  'investigating_by', NEW.investigating_by, 'resolved_by', NEW.resolved_by, 'occurrences', NEW.occurrences,
  'reopened_at', NEW.reopened_at, 'top_errors', NEW.top_errors)`

export function migrateAlarmHandling(db: Database): void {
  db.exec(`
    DROP TRIGGER alerts_notify_insert;
    DROP TRIGGER alerts_notify_update;

    ALTER TABLE alerts ADD COLUMN priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5);
    ALTER TABLE alerts ADD COLUMN state TEXT NOT NULL DEFAULT 'open'
      CHECK (state IN ('open', 'acknowledged', 'investigating', 'snoozed', 'resolved'));
    ALTER TABLE alerts ADD COLUMN snoozed_until INTEGER;
    ALTER TABLE alerts ADD COLUMN investigating_at INTEGER;
    ALTER TABLE alerts ADD COLUMN investigating_by TEXT;
    ALTER TABLE alerts ADD COLUMN resolved_by TEXT;
    ALTER TABLE alerts ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE alerts ADD COLUMN reopened_at INTEGER;
    -- JSON: [{"error": "400 /webhook/v1/access-event: …", "count": 12}, …], a rejections burst's top errors.
    ALTER TABLE alerts ADD COLUMN top_errors TEXT;

    -- Alerts raised before priorities: their severity on the 1–5 scale (what notification filters used).
    UPDATE alerts SET
      priority = CASE severity WHEN 'critical' THEN 1 WHEN 'warning' THEN 3 ELSE 5 END,
      state = CASE WHEN resolved_at IS NOT NULL THEN 'resolved' WHEN acknowledged_at IS NOT NULL THEN 'acknowledged' ELSE 'open' END;
    CREATE INDEX alerts_recent_resolved ON alerts (kind, subject, resolved_at) WHERE resolved_at IS NOT NULL;
    CREATE INDEX alerts_snoozed ON alerts (snoozed_until) WHERE state = 'snoozed';

    CREATE TABLE alert_notes (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      by TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('raised', 'acknowledged', 'investigating', 'snoozed', 'woke', 'noted', 'resolved', 'reopened')),
      note TEXT
    ) STRICT;
    CREATE INDEX alert_notes_alert ON alert_notes (alert_id, id);

    CREATE TABLE alert_kind_settings (
      kind TEXT PRIMARY KEY,
      priority INTEGER CHECK (priority BETWEEN 1 AND 5),
      instructions TEXT,
      reactivation_minutes INTEGER CHECK (reactivation_minutes >= 0),
      -- the longest snooze an operator may choose (0: not at all); priorities 1 and 2 never snooze
      snooze_max_minutes INTEGER CHECK (snooze_max_minutes >= 0),
      updated_at INTEGER NOT NULL,
      updated_by TEXT NOT NULL
    ) STRICT;

    CREATE TRIGGER alerts_notify_insert AFTER INSERT ON alerts BEGIN
      INSERT INTO alert_changes (message_id, alert_id, change, changed_at, alert) VALUES (
        'msg_' || lower(hex(randomblob(16))),
        NEW.id,
        CASE WHEN NEW.resolved_at IS NULL THEN 'raised' ELSE 'recorded' END,
        NEW.raised_at,
        ${ALERT_JSON});
    END;
    CREATE TRIGGER alerts_notify_update AFTER UPDATE ON alerts BEGIN
      INSERT INTO alert_changes (message_id, alert_id, change, changed_at, alert) VALUES (
        'msg_' || lower(hex(randomblob(16))),
        NEW.id,
        CASE
          WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL THEN 'resolved'
          WHEN OLD.resolved_at IS NOT NULL AND NEW.resolved_at IS NULL THEN 'reopened'
          WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL THEN 'acknowledged'
          WHEN OLD.state <> 'investigating' AND NEW.state = 'investigating' THEN 'investigating'
          WHEN OLD.state <> 'snoozed' AND NEW.state = 'snoozed' THEN 'snoozed'
          WHEN OLD.state = 'snoozed' AND NEW.state = 'open' THEN 'reopened'
          ELSE 'updated'
        END,
        CASE
          WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL THEN NEW.resolved_at
          WHEN OLD.resolved_at IS NOT NULL AND NEW.resolved_at IS NULL THEN coalesce(NEW.reopened_at, CAST(unixepoch('subsec') * 1000 AS INTEGER))
          WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL THEN NEW.acknowledged_at
          WHEN OLD.state <> 'investigating' AND NEW.state = 'investigating' THEN NEW.investigating_at
          ELSE CAST(unixepoch('subsec') * 1000 AS INTEGER)
        END,
        ${ALERT_JSON});
    END;
  `)
}
