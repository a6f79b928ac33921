import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { MIGRATIONS, type Migration, migrate } from './migrations.js';

export type { Database } from 'better-sqlite3';

/**
 * Opens (creating when needed) the app's SQLite database: owner-only file, WAL so that readers never
 * wait for the engine's writes, foreign keys on, and the schema migrated. `:memory:` is accepted for
 * tests. Opening waits up to 5 s for another process's lock (nothing else is running yet); the app
 * then asks for a short busy timeout (BUSY_TIMEOUT_MS): its event loop must not wait on SQLite.
 */
export function openDatabase(
  databasePath: string,
  options: {
    migrations?: readonly Migration[];
    /** After opening: how long a statement waits for another process's lock. 5 s (the CLI can wait). */
    busyTimeoutMs?: number;
  } = {},
): Database.Database {
  const inMemory = databasePath === ':memory:';
  let db: Database.Database | undefined;
  try {
    let created = false;
    if (!inMemory) {
      mkdirSync(path.dirname(path.resolve(databasePath)), { recursive: true, mode: 0o700 });
      created = !existsSync(databasePath);
    }
    db = new Database(databasePath);
    // Payroll data: nobody but the app's user may read the file. SQLite gives its -wal and -shm
    // files the main file's mode, so this covers them too.
    if (created) chmodSync(databasePath, 0o600);
    db.pragma('busy_timeout = 5000');
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS);
    if (options.busyTimeoutMs !== undefined) db.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StoreError) throw error;
    throw databaseUnavailable(databasePath, error);
  }
}

function databaseUnavailable(databasePath: string, error: unknown): StoreError {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const where = `The database at ${path.resolve(databasePath)} (DATABASE_PATH)`;
  let sentence: string;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    sentence = `${where} is not a SQLite database the app can use. Point DATABASE_PATH at a new file name, or move that file away.`;
  } else if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    sentence = `${where} is locked by another process. Stop that process, or give this one its own DATABASE_PATH.`;
  } else {
    sentence = `${where} cannot be opened or created. Point DATABASE_PATH at a file in a folder the app's user can write to, or fix that folder's permissions.`;
  }
  return new StoreError('database-unavailable', sentence, {
    cause: error,
    detail: `${code || 'error'}: ${message}`,
  });
}
