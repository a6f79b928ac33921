import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkDatabase } from '../../src/doctor/database.js';
import { openDatabase } from '../../src/store/database.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

const latest = MIGRATIONS.at(-1)!.version;
const statuses = (results: { status: string }[]) => results.map((r) => r.status);

describe('database check', () => {
  let root: string;
  let n = 0;
  const folder = () => {
    const dir = path.join(root, `case-${++n}`);
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    return dir;
  };
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'doctor-db-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('a database the app made is writable, current and private', () => {
    const file = path.join(folder(), 'app.sqlite');
    openDatabase(file).close();
    const results = checkDatabase(file);
    assert.deepEqual(statuses(results), ['ok', 'ok']);
    assert.match(results[0]!.label, /opens and is writable/);
    assert.equal(results[1]!.label, `The schema is current (version ${latest})`);
  });

  test('the check neither creates nor migrates anything', () => {
    const file = path.join(folder(), 'nested', 'app.sqlite');
    const results = checkDatabase(file);
    assert.deepEqual(statuses(results), ['ok']);
    assert.match(results[0]!.label, /does not exist yet; the app will create/);
    assert.ok(!existsSync(file));

    const old = path.join(folder(), 'old.sqlite');
    openDatabase(old, { migrations: MIGRATIONS.slice(0, 1) }).close();
    const older = checkDatabase(old);
    assert.equal(older[1]!.status, 'warn');
    assert.match(older[1]!.label, new RegExp(`version 1; this app brings it to ${latest}`));
    assert.equal(checkDatabase(old)[1]!.status, 'warn', 'still at version 1 after a check');
  });

  test('a database from a newer app fails', () => {
    const file = path.join(folder(), 'new.sqlite');
    openDatabase(file, {
      migrations: [...MIGRATIONS, { version: 99, name: 'future', sql: 'SELECT 1' }],
    }).close();
    const results = checkDatabase(file);
    assert.equal(results[1]!.status, 'fail');
    assert.match(results[1]!.fix!, /newer version of the app/);
  });

  test('a file that is not SQLite fails with the fix', () => {
    const file = path.join(folder(), 'notes.txt');
    writeFileSync(file, 'hello, this is not a database at all '.repeat(200), { mode: 0o600 });
    const results = checkDatabase(file);
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.label, /is not a SQLite database/);
  });

  test('a database readable by others, in a folder every user can list: warnings with the chmod', () => {
    const dir = folder();
    const file = path.join(dir, 'app.sqlite');
    openDatabase(file).close();
    chmodSync(file, 0o644);
    chmodSync(dir, 0o755);
    const results = checkDatabase(file);
    const warnings = results.filter((r) => r.status === 'warn');
    assert.deepEqual(
      warnings.map((r) => r.fix),
      [`chmod 600 ${file}`, `chmod 700 ${dir}`],
    );
    assert.match(warnings[0]!.label, /can be read by every user on this machine \(mode 644\)/);
  });

  test('the export files folder is checked too', () => {
    const dir = folder();
    const files = path.join(dir, 'exports');
    mkdirSync(files);
    chmodSync(files, 0o777);
    const results = checkDatabase(path.join(dir, 'app.sqlite'), { filesDir: files });
    assert.deepEqual(
      results.filter((r) => r.status === 'warn').map((r) => r.fix),
      [`chmod 700 ${files}`],
    );
  });

  test('a file owned by another user is not opened (a sudo doctor would leave root-owned -wal files)', () => {
    const file = path.join(folder(), 'app.sqlite');
    openDatabase(file).close();
    const results = checkDatabase(file, { uid: 12345 });
    assert.equal(results[0]!.status, 'warn');
    assert.match(results[0]!.fix!, /as the app's user/);
  });
});
