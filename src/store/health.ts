import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { isDatabaseBusy } from './busy.js';

export type DatabaseProblem =
  | 'database busy'
  | 'database unreachable'
  | 'database file deleted'
  | 'database file replaced';

interface FileIdentity {
  dev: number;
  ino: number;
}

function identityOf(file: string): FileIdentity | undefined {
  try {
    const { dev, ino } = statSync(file);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

/**
 * Whether the app can still use its database, for /healthz. Two things an open SQLite connection does
 * not notice by itself: another process holding the write lock (every write would wait), and the files
 * being deleted or replaced under it (the connection keeps writing to the deleted inode; the next
 * start finds an empty database and forgets every run, including exports Lucca has already started).
 */
export class DatabaseWatch {
  private readonly files: { file: string; identity: FileIdentity }[] = [];

  constructor(
    private readonly db: Database.Database,
    databasePath: string,
  ) {
    if (databasePath === ':memory:') return;
    // The -wal and -shm files exist as long as a connection has the database open in WAL mode.
    for (const file of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
      const identity = identityOf(file);
      if (identity) this.files.push({ file, identity });
    }
  }

  /** Undefined when the database is usable; else the reason. Costs at most one busy timeout (20 ms). */
  problem(): DatabaseProblem | undefined {
    for (const { file, identity } of this.files) {
      const now = identityOf(file);
      if (!now) return 'database file deleted';
      if (now.ino !== identity.ino || now.dev !== identity.dev) return 'database file replaced';
    }
    // Reads never wait in WAL mode: only taking the write lock tells whether writes can happen.
    if (this.db.inTransaction) return undefined;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
      return undefined;
    } catch (error) {
      return isDatabaseBusy(error) ? 'database busy' : 'database unreachable';
    }
  }
}
