/**
 * Storage faults: a database the app cannot open or that another process locks (start-up stops with a
 * sentence naming DATABASE_PATH, exit code 1), and a disk that fills up while an export file is being
 * written (the run fails saying so, the database is intact, Retry works once space is back).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { exportFileBytes } from '../../fakes/lucca-simulator/content.js';
import { ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { eventually, PAYROLL, startHarness } from '../helpers/app-harness.js';
import { freePort, spawnApp } from '../helpers/app-process.js';
import { type ChildOwner, PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import { steppingLuccaClient } from '../helpers/stepping-clock.js';

/** Enough configuration for main.ts to get as far as opening the database. */
function appEnv(databasePath: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-storage-test',
    SLACK_SIGNING_SECRET: '5f3e1c2b9a8d7e6f5a4b3c2d1e0f9a8b',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    LUCCA_BASE_URL: 'http://127.0.0.1:9',
    LUCCA_API_KEY: 'storage-test-key',
    DATABASE_PATH: databasePath,
    ALLOWED_USERS: 'U0ANA',
  };
}

async function startUpFails(
  owner: ChildOwner,
  databasePath: string,
): Promise<{ code: number | null; stderr: string }> {
  const app = spawnApp(owner, appEnv(databasePath), await freePort());
  const { code } = await app.exited;
  return { code, stderr: app.output.filter((line) => !line.startsWith('{')).join('\n') };
}

describe('the database cannot be used at start-up', { concurrency: 4 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsx-storage-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('DATABASE_PATH under a regular file (its folder cannot exist): exit 1, the message names DATABASE_PATH', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const blocker = path.join(dir, 'file.txt');
    writeFileSync(blocker, 'not a folder');
    const { code, stderr } = await startUpFails(t, path.join(blocker, 'db.sqlite'));
    assert.equal(code, 1);
    assert.match(stderr, /DATABASE_PATH/);
    assert.match(stderr, /cannot be opened or created/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  test('DATABASE_PATH is a folder: exit 1, the message names DATABASE_PATH', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const folder = path.join(dir, 'a-folder.sqlite');
    mkdirSync(folder);
    const { code, stderr } = await startUpFails(t, folder);
    assert.equal(code, 1);
    assert.match(stderr, /DATABASE_PATH/);
  });

  test('DATABASE_PATH is some other file: exit 1, told it is not a SQLite database', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const other = path.join(dir, 'notes.sqlite');
    writeFileSync(other, 'Payroll notes, definitely not SQLite. '.repeat(200));
    const { code, stderr } = await startUpFails(t, other);
    assert.equal(code, 1);
    assert.match(stderr, /DATABASE_PATH/);
    assert.match(stderr, /not a SQLite database/);
  });

  test('the database is locked by another process: exit 1, told which one to stop', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const locked = path.join(dir, 'locked.sqlite');
    const holder = new Database(locked);
    holder.exec('CREATE TABLE held (x)');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const { code, stderr } = await startUpFails(t, locked);
      assert.equal(code, 1);
      assert.match(stderr, /DATABASE_PATH/);
      assert.match(stderr, /locked by another process/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

/** Mounts a tmpfs of `size` at `dir`; false where mounting is not permitted. */
function mountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('disk faults while an export file is written', () => {
  test('disk full mid-download (a 1 MB tmpfs): the run fails saying so, the database is intact, Retry works once space is back', async (t) => {
    const mountpoint = mkdtempSync(path.join(tmpdir(), 'tsx-tmpfs-'));
    if (!mountTmpfs(mountpoint, '1m')) {
      rmSync(mountpoint, { recursive: true, force: true });
      t.skip(
        'mounting a tmpfs is not permitted on this machine; the unwritable-folder test below covers the same path',
      );
      return;
    }
    const h = await startHarness({
      env: { EXPORT_FILES_DIR: path.join(mountpoint, 'exports') },
      lucca: { buildMs: 0, fileBytes: 200_000 },
      luccaClient: steppingLuccaClient(),
    });
    try {
      // Leave about 40 KB free: the 200 KB file cannot fit.
      const filler = path.join(mountpoint, 'filler');
      writeFileSync(filler, Buffer.alloc(1024 * 1024 - 40 * 1024));
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();

      const failed = h.app.store.get(run.id)!;
      assert.equal(failed.state, 'failed');
      assert.equal(failed.errorCode, 'disk-full');
      assert.match(failed.errorMessage ?? '', /disk/i);
      assert.match(failed.errorMessage ?? '', /EXPORT_FILES_DIR/);
      const downloads = h.sim.requests.filter((r) => r.path.startsWith('/timmi-exports/files/')).length;
      assert.equal(downloads, 1, 'a full disk is not mended by downloading again');
      const thread = h.slack.threadOf(PAYROLL, run.threadTs!);
      assert.ok(
        thread.some((m) => /disk/i.test(m.text ?? '') && JSON.stringify(m.blocks).includes(ACTION_RETRY)),
      );
      // No half-written file is left taking space; the database is whole.
      const folder = path.join(mountpoint, 'exports', `run-${run.id}`);
      assert.deepEqual(
        readdirSync(folder).filter((f) => f.endsWith('.part')),
        [],
      );
      const check = new Database(h.env.DATABASE_PATH!, { readonly: true });
      assert.equal(check.pragma('integrity_check', { simple: true }), 'ok');
      check.close();

      // Space is back: Retry fetches the same export again (Lucca does not build a new one).
      rmSync(filler);
      await h.click(ACTION_RETRY, run.id);
      await eventually(() => h.app.store.get(run.id)!.state !== 'failed', 'the retry');
      await h.settle();
      const done = h.app.store.get(run.id)!;
      assert.equal(done.state, 'done');
      assert.equal(h.sim.posts().length, 1, 'one POST in all');
      const completed = h.slack.uploads.filter((u) => u.completed);
      assert.equal(completed.length, 1);
      assert.equal(completed[0]!.received, exportFileBytes(3, 1, 0, 200_000).length);
    } finally {
      await h.close();
      try {
        execFileSync('umount', [mountpoint], { stdio: 'ignore' });
      } finally {
        rmSync(mountpoint, { recursive: true, force: true });
      }
    }
  });

  test('EXPORT_FILES_DIR cannot be written (a file is in the way): the run fails naming it; Retry works once fixed', async () => {
    const h = await startHarness({ lucca: { buildMs: 0 }, luccaClient: steppingLuccaClient() });
    try {
      const filesDir = h.env.EXPORT_FILES_DIR!;
      writeFileSync(filesDir, 'someone put a file where the folder should be');
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const failed = h.app.store.get(run.id)!;
      assert.equal(failed.state, 'failed');
      assert.equal(failed.errorCode, 'files-dir-unwritable');
      assert.match(failed.errorMessage ?? '', /EXPORT_FILES_DIR/);

      rmSync(filesDir);
      await h.click(ACTION_RETRY, run.id);
      await eventually(() => h.app.store.get(run.id)!.state !== 'failed', 'the retry');
      await h.settle();
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      assert.equal(h.sim.posts().length, 1);
      assert.equal(h.slack.uploads.filter((u) => u.completed).length, 1);
    } finally {
      await h.close();
    }
  });
});
