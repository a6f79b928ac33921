import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { StoreError } from '../../src/store/errors.js';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'store-db-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('creates the folder and an owner-only file in WAL mode with foreign keys and a busy timeout', () => {
    const file = path.join(root, 'nested', 'deeper', 'app.sqlite');
    const db = openDatabase(file);
    try {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
    } finally {
      db.close();
    }
  });

  it('applies each migration once and records it', () => {
    const file = path.join(root, 'migrations.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    try {
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(
        rows,
        MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
      );
    } finally {
      db.close();
    }
  });

  it('applies only the migrations appended since the last start', () => {
    const file = path.join(root, 'appended.sqlite');
    openDatabase(file).close();
    const extra: Migration = {
      version: 99,
      name: 'extra table',
      sql: 'CREATE TABLE extra (id INTEGER PRIMARY KEY)',
    };
    const db = openDatabase(file, { migrations: [...MIGRATIONS, extra] });
    try {
      assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get(), 1);
      const versions = db.prepare('SELECT version FROM schema_migrations').pluck().all();
      assert.deepEqual(versions, [...MIGRATIONS.map((m) => m.version), 99]);
    } finally {
      db.close();
    }
  });

  it('refuses a database written by a newer version of the app', () => {
    const file = path.join(root, 'newer.sqlite');
    openDatabase(file, {
      migrations: [...MIGRATIONS, { version: 500, name: 'future', sql: 'SELECT 1' }],
    }).close();
    assert.throws(
      () => openDatabase(file),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'database-too-new');
        assert.match(error.userMessage, /DATABASE_PATH/);
        return true;
      },
    );
  });

  it('says which variable and path to fix when the file is not a database', () => {
    const file = path.join(root, 'not-a-db.sqlite');
    writeFileSync(file, 'this is a text file, not SQLite, and it is long enough to have a header'.repeat(20));
    assert.throws(
      () => openDatabase(file),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'database-unavailable');
        assert.match(error.userMessage, /DATABASE_PATH/);
        assert.ok(error.userMessage.includes(file));
        assert.match(error.userMessage, /not a SQLite database/);
        return true;
      },
    );
  });

  it('says how to fix a path whose folder cannot be created', () => {
    const blocker = path.join(root, 'a-file');
    writeFileSync(blocker, 'x');
    assert.throws(
      () => openDatabase(path.join(blocker, 'sub', 'db.sqlite')),
      (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'database-unavailable');
        assert.match(error.userMessage, /DATABASE_PATH/);
        assert.match(error.userMessage, /can write to/);
        return true;
      },
    );
  });
});
