import { accessSync, constants, existsSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../store/migrations.js';
import type { CheckResult } from './types.js';

export interface DatabaseCheckOptions {
  /** EXPORT_FILES_DIR: payroll files wait there for delivery, so its permissions matter too. */
  filesDir?: string;
  unusable?: ReadonlySet<string>;
  /** Defaults to the newest migration the app knows. */
  latestVersion?: number;
  /** The effective user id (tests); process.getuid() by default. */
  uid?: number;
}

/**
 * The SQLite file, without changing it: opens it (never creates or migrates it: that is the app's
 * job), checks it takes a write lock, compares its schema version with the app's, and checks that
 * only its owner can read it and the export files.
 */
export function checkDatabase(databasePath: string, options: DatabaseCheckOptions = {}): CheckResult[] {
  if (options.unusable?.has('DATABASE_PATH')) {
    return [
      {
        status: 'warn',
        label: 'The database was not checked',
        detail: 'DATABASE_PATH is not valid (see Environment).',
      },
    ];
  }
  if (databasePath === ':memory:') {
    return [{ status: 'warn', label: 'DATABASE_PATH is :memory:: every run is lost when the app stops' }];
  }
  const file = path.resolve(databasePath);
  const latest = options.latestVersion ?? MIGRATIONS.at(-1)?.version ?? 0;
  const uid = options.uid ?? process.getuid?.();
  const results: CheckResult[] = [];

  if (!existsSync(file)) {
    results.push(creatable(file));
  } else {
    const stats = statSync(file);
    if (uid !== undefined && stats.uid !== uid) {
      // Opening it as another user (sudo) would leave -wal/-shm files the app cannot write.
      results.push({
        status: 'warn',
        label: `${file} belongs to another user (uid ${stats.uid}): not opened`,
        fix: "Run the doctor as the app's user, e.g. sudo -u <app user> npm run doctor",
      });
    } else {
      results.push(...openAndInspect(file, latest));
    }
    results.push(...privacy(file, stats, 'The database file', 0o077, 0o600));
  }
  for (const folder of new Set([path.dirname(file), options.filesDir && path.resolve(options.filesDir)])) {
    // Folders shared with a group are common practice; open to every user is not.
    if (folder && existsSync(folder)) {
      results.push(...privacy(folder, statSync(folder), 'The folder', 0o007, 0o700));
    }
  }
  return results;
}

function creatable(file: string): CheckResult {
  let folder = path.dirname(file);
  while (!existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  try {
    accessSync(folder, constants.W_OK);
    return {
      status: 'ok',
      label: `The database does not exist yet; the app will create ${file} at start-up`,
    };
  } catch {
    return {
      status: 'fail',
      label: `The database ${file} cannot be created: ${folder} is not writable`,
      fix: `Point DATABASE_PATH at a folder the app's user can write to, or fix the permissions of ${folder}`,
    };
  }
}

function openAndInspect(file: string, latest: number): CheckResult[] {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 2000 });
    const hasMigrations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const version = hasMigrations
      ? ((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0)
      : 0;
    const tables = (
      db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }
    ).n;
    // Takes and releases the write lock: proves the file (and its folder, for the journal) is writable.
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    const results: CheckResult[] = [{ status: 'ok', label: `The database opens and is writable (${file})` }];
    results.push(schemaResult(version, latest, tables > 0 && !hasMigrations));
    return results;
  } catch (error) {
    return [openFailure(file, error)];
  } finally {
    db?.close();
  }
}

export function schemaResult(version: number, latest: number, foreign = false): CheckResult {
  if (foreign) {
    return {
      status: 'fail',
      label: "The database is not this app's (it has tables but no schema_migrations)",
      fix: 'Point DATABASE_PATH at a new file name; the app creates it',
    };
  }
  if (version === latest) return { status: 'ok', label: `The schema is current (version ${version})` };
  if (version > latest) {
    return {
      status: 'fail',
      label: `The database was written by a newer version of the app (schema ${version}, this one knows ${latest})`,
      fix: 'Run the newer version of the app, or point DATABASE_PATH at another file',
    };
  }
  return {
    status: 'warn',
    label:
      version === 0
        ? 'The database is empty: the app creates its tables at start-up'
        : `The schema is at version ${version}; this app brings it to ${latest} at start-up`,
    ...(version > 0
      ? { fix: 'Back up the file, then start the app once: it migrates the schema by itself' }
      : {}),
  };
}

function openFailure(file: string, error: unknown): CheckResult {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return {
      status: 'fail',
      label: `${file} is not a SQLite database the app can use`,
      fix: 'Point DATABASE_PATH at a new file name, or move that file away',
    };
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      status: 'warn',
      label: `${file} is locked by another process right now (the app itself, while it writes?)`,
      fix: 'Run the doctor again; if it stays locked, stop the other process that uses DATABASE_PATH',
    };
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return {
      status: 'fail',
      label: `${file} cannot be written (${code})`,
      fix: `Give the app's user write access to the file and its folder (chown/chmod), or point DATABASE_PATH elsewhere`,
    };
  }
  return {
    status: 'fail',
    label: `${file} cannot be opened${code ? ` (${code})` : ''}`,
    fix: "Point DATABASE_PATH at a file in a folder the app's user can write to",
  };
}

/** Payroll data: nobody but the app's user should read the file, nor every user list the folders. */
function privacy(target: string, stats: Stats, what: string, mask: number, wanted: number): CheckResult[] {
  if (process.platform === 'win32') return [];
  const open = stats.mode & mask;
  if (!open) return [];
  const mode = (stats.mode & 0o777).toString(8);
  const who = open & 0o007 ? 'every user on this machine' : 'its group';
  return [
    {
      status: 'warn',
      label: `${what} ${target} can be read by ${who} (mode ${mode})`,
      detail: 'It holds payroll data.',
      fix: `chmod ${wanted.toString(8)} ${target}`,
    },
  ];
}
