import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';

/**
 * The schema's history, oldest first. Append only: a migration that has shipped is never edited,
 * because databases in the field have already recorded it as applied. Each one runs in a
 * transaction together with its row in `schema_migrations`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs and run events',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        configuration_id INTEGER NOT NULL,
        configuration_label TEXT,
        ends_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'baseline', 'triggering', 'polling', 'fetching',
          'delivering', 'done', 'stalled', 'failed', 'cancelled')),
        attempt INTEGER NOT NULL DEFAULT 1,
        baseline_id INTEGER,
        export_id INTEGER,
        triggered_at INTEGER,
        next_at INTEGER,
        locked_by TEXT,
        locked_until INTEGER,
        error_code TEXT,
        error_message TEXT,
        requested_by TEXT NOT NULL,
        source TEXT NOT NULL,
        channel_id TEXT,
        thread_ts TEXT,
        schedule_id INTEGER,
        note TEXT,
        files TEXT NOT NULL DEFAULT '[]',
        files_deleted_at INTEGER,
        summary TEXT,
        delivery_attempts INTEGER NOT NULL DEFAULT 0,
        polls INTEGER NOT NULL DEFAULT 0,
        waiting_noticed_ms INTEGER NOT NULL DEFAULT 0,
        recheck INTEGER NOT NULL DEFAULT 0,
        step_errors INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      );

      -- DESIGN §2: at most one active run per configuration; queued runs wait outside the index.
      CREATE UNIQUE INDEX runs_one_active_per_configuration ON runs (configuration_id)
        WHERE state IN ('baseline', 'triggering', 'polling', 'fetching', 'delivering', 'stalled');

      CREATE INDEX runs_due ON runs (next_at)
        WHERE state IN ('baseline', 'triggering', 'polling', 'fetching', 'delivering');

      CREATE INDEX runs_queued ON runs (configuration_id, id) WHERE state = 'queued';

      CREATE INDEX runs_finished ON runs (finished_at) WHERE finished_at IS NOT NULL;

      CREATE TABLE run_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        actor TEXT NOT NULL,
        at INTEGER NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}',
        published_at INTEGER
      );

      CREATE INDEX run_events_of_run ON run_events (run_id, id);

      -- The outbox: the bot reads unpublished events in order.
      CREATE INDEX run_events_unpublished ON run_events (id) WHERE published_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'schedules',
    sql: `
      -- Month-end schedules. Removing one only disables it: its occurrences and runs keep pointing at it.
      -- No CHECK on rule: a new rule must not need a table rebuild (SQLite cannot alter a CHECK).
      CREATE TABLE schedules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        configuration_id INTEGER NOT NULL,
        configuration_label TEXT,
        rule TEXT NOT NULL,
        time_of_day TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        created_by TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        disabled_by TEXT,
        disabled_at INTEGER
      );

      -- The same configuration and rule twice in one channel would post two threads for one export.
      CREATE UNIQUE INDEX schedules_no_duplicate ON schedules (configuration_id, rule, channel_id)
        WHERE enabled = 1;

      -- One row per occurrence ever acted on. The UNIQUE key is what makes an occurrence start at most
      -- one run, across restarts and across processes sharing the file: a claim is an INSERT that
      -- either creates this row or does nothing.
      CREATE TABLE schedule_occurrences (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schedule_id INTEGER NOT NULL REFERENCES schedules (id),
        occurrence_key TEXT NOT NULL,
        fires_at INTEGER NOT NULL,
        ends_at TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        claimed_by TEXT NOT NULL,
        run_id INTEGER,
        outcome TEXT NOT NULL,
        error_code TEXT,
        error_message TEXT,
        finished_at INTEGER,
        UNIQUE (schedule_id, occurrence_key)
      );

      CREATE INDEX schedule_occurrences_claimed ON schedule_occurrences (claimed_at)
        WHERE outcome = 'claimed';
    `,
  },
  {
    version: 3,
    name: 'delivery receipts',
    sql: `
      -- Which files of a run the delivery target already has, so a delivery retried after a partial
      -- upload (two files, the second failed) does not post the first one again.
      CREATE TABLE delivery_receipts (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        reference TEXT NOT NULL,
        delivered_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, attempt, file_name)
      );
    `,
  },
  {
    version: 4,
    name: 'outbox turn',
    sql: `
      -- Which process publishes the outbox (run_events) to Slack right now. One at a time, so that two
      -- processes on one file (a double deploy) neither post a thread reply twice nor out of order.
      -- A crashed holder's turn runs out at \`until\`.
      CREATE TABLE outbox_turn (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        holder TEXT NOT NULL,
        until INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'handled Slack interactions',
    sql: `
      -- Clicks and commands already handled, by their Slack ids, for as long as Slack's signature
      -- stays valid: the same signed request sent again (a replay) is then ignored, in every process.
      CREATE TABLE slack_interactions (
        key TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      );
      CREATE INDEX slack_interactions_seen_at ON slack_interactions (seen_at);
    `,
  },
  {
    version: 6,
    name: 'failure facts',
    sql: `
      -- A failed run's particulars (HTTP status, size limit, Slack scope…) as JSON, beside its code, so
      -- that the channel can word the failure in APP_LANGUAGE. Older rows keep NULL: their English
      -- error_message is shown as it was.
      ALTER TABLE runs ADD COLUMN error_facts TEXT;
    `,
  },
];

/** Applies every migration newer than the database's version; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  assertOrdered(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const current = (
    db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
      version: number | null;
    }
  ).version;
  const known = migrations.at(-1)?.version ?? 0;
  if (current !== null && current > known) {
    throw new StoreError(
      'database-too-new',
      `The database was written by a newer version of the app (schema ${current}, this app knows ${known}). Run the newer version, or point DATABASE_PATH at another file.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    if (current !== null && migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migration versions must increase: ${migration.version} after ${previous}`);
    }
    previous = migration.version;
  }
}
