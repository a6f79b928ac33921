/**
 * The database taken from under the running app, with real processes: another process holding the
 * write lock (`BEGIN EXCLUSIVE`, as the sqlite3 shell or a second app can), and the files deleted.
 * The app must keep answering (acks, help, /healthz), say what is wrong, and leave nothing half-done:
 * no placeholder without a run, no export in Lucca that nobody asked to follow.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { PAYROLL } from '../helpers/app-harness.js';
import { type AppProcess, readRuns, startApp, waitFor } from '../helpers/app-process.js';
import { PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import { command, startWorld, type World } from './world.js';

async function health(app: AppProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${app.url}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refusal = /database has been locked by another program/;
const texts = (world: World) => world.slack.responses.map((r) => String(r.body?.text ?? ''));

describe('the database under the running app', { concurrency: 2 }, () => {
  test('another process holds the write lock: acks, help and /healthz answer; a command that cannot be recorded says so and leaves nothing', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld();
    let app: AppProcess | undefined;
    let holder: Database.Database | undefined;
    try {
      app = await startApp(t, world.env);
      holder = new Database(world.databasePath);
      holder.exec('BEGIN EXCLUSIVE');

      const busy = await health(app);
      assert.equal(busy.status, 503);
      assert.equal(busy.body.reason, 'database busy');

      // Four commands, then a help: all acked, and help answered long before the app gives up on
      // recording the commands (it tries for 15 s, without holding the event loop, and the four
      // waiting take every place in the work queue: help must not wait behind them).
      const acks = await Promise.all(
        ['payroll', '5', '6', '7'].map((config) => command(app!, world, `${config} 2026-12-01`)),
      );
      acks.push(await command(app, world, 'help'));
      assert.deepEqual(
        acks.map((a) => a.status),
        [200, 200, 200, 200, 200],
      );
      await waitFor(() => texts(world).some((line) => /runs a Lucca Timesheet export/.test(line)), 'help');
      assert.ok(!texts(world).some((line) => refusal.test(line)), 'help came before any refusal');
      assert.ok(
        !app.output.some((line) => line.includes('"command failed"')),
        'help came before any command gave up waiting (it did not wait for their places in the queue)',
      );
      assert.equal((await health(app)).body.reason, 'database busy', '/healthz still answers');

      await waitFor(
        () => texts(world).filter((line) => refusal.test(line)).length === 4,
        'the four people told their export was not started',
        30_000,
        () => texts(world).join('\n'),
      );
      for (const text of texts(world).filter((line) => refusal.test(line))) {
        assert.match(text, /nothing was sent to Lucca/);
        assert.match(text, /try again in a minute/);
      }
      assert.equal(world.sim.posts().length, 0, 'nothing reached Lucca');
      await waitFor(
        () => world.slack.messagesIn(PAYROLL).length === 0,
        'the placeholders taken away',
        5_000,
        () => JSON.stringify(world.slack.messagesIn(PAYROLL)),
      );

      holder.exec('ROLLBACK');
      assert.equal((await health(app)).status, 200, 'healthy again once the lock is released');
      assert.equal(readRuns(world.databasePath).length, 0, 'no run half-recorded');
      assert.equal((await command(app, world)).status, 200);
      await waitFor(
        () => readRuns(world.databasePath).some((run) => run.state === 'done'),
        'a command after the lock to run to the end',
      );
    } finally {
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
      await app?.kill('SIGKILL');
      await world.close();
    }
  });

  test('a lock released before the app gives up: the command is recorded late and runs once', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld();
    let app: AppProcess | undefined;
    let holder: Database.Database | undefined;
    try {
      app = await startApp(t, world.env);
      holder = new Database(world.databasePath);
      holder.exec('BEGIN EXCLUSIVE');
      assert.equal((await command(app, world)).status, 200);
      // Held a moment longer, so that the app meets the lock (it shows nothing while it waits).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      holder.exec('ROLLBACK');
      await waitFor(
        () => readRuns(world.databasePath).some((run) => run.state === 'done'),
        'the run to finish',
      );
      assert.equal(readRuns(world.databasePath).length, 1);
      assert.equal(world.sim.posts().length, 1, 'one POST');
      assert.ok(!texts(world).some((line) => refusal.test(line)), 'nobody told it failed');
    } finally {
      if (holder?.inTransaction) holder.exec('ROLLBACK');
      holder?.close();
      await app?.kill('SIGKILL');
      await world.close();
    }
  });

  test('the database files deleted under the app: /healthz turns 503 and says so', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld();
    let app: AppProcess | undefined;
    try {
      app = await startApp(t, world.env);
      assert.equal((await health(app)).status, 200);
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${world.databasePath}${suffix}`, { force: true });
      const gone = await health(app);
      assert.equal(gone.status, 503);
      assert.equal(gone.body.reason, 'database file deleted');
    } finally {
      await app?.kill('SIGKILL');
      await world.close();
    }
  });
});
