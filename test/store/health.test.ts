import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from '../../src/store/busy.js';
import { openDatabase } from '../../src/store/database.js';
import { DatabaseWatch } from '../../src/store/health.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsx-health-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function watched(name: string) {
  const file = path.join(dir, name);
  const db = openDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  return { file, db, watch: new DatabaseWatch(db, file) };
}

describe('DatabaseWatch (what /healthz says about the database)', () => {
  test('a usable database: no problem', () => {
    const { db, watch } = watched('ok.sqlite');
    assert.equal(watch.problem(), undefined);
    db.close();
  });

  test('another process holds the write lock: "database busy", and free again once it lets go', () => {
    const { file, db, watch } = watched('busy.sqlite');
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      assert.equal(watch.problem(), 'database busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    assert.equal(watch.problem(), undefined);
    db.close();
  });

  for (const deleted of ['', '-wal', '-shm']) {
    test(`the file${deleted ? ` ${deleted}` : ''} deleted under the app: "database file deleted"`, () => {
      const { file, db, watch } = watched(`deleted${deleted}.sqlite`);
      rmSync(`${file}${deleted}`);
      assert.equal(watch.problem(), 'database file deleted');
      db.close();
    });
  }

  test('the file replaced by another one (a restore copied over it): "database file replaced"', () => {
    const { file, db, watch } = watched('replaced.sqlite');
    const copy = path.join(dir, 'copy.sqlite');
    new Database(copy).close();
    renameSync(copy, file);
    assert.equal(watch.problem(), 'database file replaced');
    db.close();
  });

  test('an in-memory database has no file to lose', () => {
    const db = openDatabase(':memory:');
    assert.equal(new DatabaseWatch(db, ':memory:').problem(), undefined);
    db.close();
  });
});
