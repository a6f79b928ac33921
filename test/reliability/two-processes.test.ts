/**
 * A double deploy: two app processes on one SQLite database, both running their engine and their
 * scheduler. Leases and unique keys must keep every run driven by one process at a time, every POST
 * sent once, every occurrence fired once.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { PAYROLL } from '../helpers/app-harness.js';
import {
  type AppProcess,
  PATIENCE_MS,
  readEvents,
  readRuns,
  startApp,
  waitFor,
} from '../helpers/app-process.js';
import { type ChildOwner, PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import { command, luccaCall, seedDueSchedule, startWorld, threadOf, type World, within } from './world.js';

function workerIdOf(app: AppProcess): string {
  const line = app.output.find((l) => l.includes('timesheet-export is running'));
  return String((JSON.parse(line ?? '{}') as { workerId?: unknown }).workerId ?? '');
}

function finishedRuns(world: World): boolean {
  const runs = readRuns(world.databasePath);
  return (
    runs.length > 0 &&
    runs.every((run) => {
      if (run.state !== 'done' || !run.thread_ts) return false;
      const { parent, replies } = threadOf(world, run.thread_ts);
      return (
        /Delivered/.test(JSON.stringify(parent?.blocks ?? [])) &&
        replies.some((m) => /Delivered to/.test(m.text ?? ''))
      );
    })
  );
}

/** Each step's request was sent once: two workers driving the same step would send it twice. */
function assertEachStepOnce(world: World): void {
  const count = (match: (r: { method: string; path: string; url: string }) => boolean) =>
    world.lucca.records.filter(match).length;
  assert.equal(count(luccaCall.baseline), 1, 'one baseline');
  assert.equal(count(luccaCall.trigger), 1, 'one POST');
  assert.equal(world.sim.posts(3).length, 1, 'one POST reached Lucca');
  assert.equal(count(luccaCall.fetch), 1, 'one fetch');
  assert.equal(count(luccaCall.entries), 1, 'one entries request');
  assert.equal(count(luccaCall.download), 1, 'one download');
  assert.equal(world.slack.uploads.filter((u) => u.completed).length, 1, 'one file shared');
}

/** Both processes read the one outbox: each thread reply must still be posted once, in order. */
function assertRepliesOnce(world: World): void {
  for (const run of readRuns(world.databasePath)) {
    const texts = threadOf(world, run.thread_ts!).replies.map((m) => m.text ?? '');
    assert.deepEqual(texts, [...new Set(texts)], `a reply was posted twice:\n${texts.join('\n')}`);
    const order = ['Asked Lucca to build', 'Lucca finished export', 'Delivered to'];
    const positions = order.map((start) => texts.findIndex((t) => t.includes(start)));
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      'replies in the order things happened',
    );
  }
}

async function startTwo(
  owner: ChildOwner,
  world: World,
  apps: AppProcess[],
): Promise<[AppProcess, AppProcess]> {
  const [a, b] = await Promise.all([startApp(owner, world.env), startApp(owner, world.env)]);
  apps.push(a, b);
  assert.notEqual(workerIdOf(a), workerIdOf(b));
  return [a, b];
}

async function stopAll(apps: AppProcess[]): Promise<void> {
  await Promise.all(apps.map((app) => app.kill('SIGKILL')));
}

describe('two processes on one database', { concurrency: 2 }, () => {
  test('a run whose POST outlasts the lease stays with the process renewing it; taken over only when it dies', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    // Lucca answers the POST after 6 s, twice the 3 s lease: the holder must renew, the other must wait.
    const world = await startWorld({
      lucca: { buildMs: 6_000, postHoldMs: 6_000, postAnswer: 408 },
      env: { EXPORT_TRIGGER_TIMEOUT: '8s' },
    });
    const apps: AppProcess[] = [];
    try {
      const [a] = await startTwo(t, world, apps);
      assert.equal((await command(a, world)).status, 200);
      // Once the export is found, hold the fetch: whichever process drives it is killed there.
      const fetchHold = world.lucca.failNext(luccaCall.fetch, { kind: 'hold', forward: false });
      await within(fetchHold.hit, PATIENCE_MS, 'the fetch');
      const [run] = readRuns(world.databasePath);
      assert.equal(run!.state, 'fetching');
      const holder = apps.find((app) => workerIdOf(app) === run!.locked_by)!;
      const other = apps.find((app) => app !== holder)!;
      assert.ok(holder, 'the lease names one of the two processes');

      // Until now, no claim ever found an expired lease: nobody took the run from a live holder.
      assert.ok(!readEvents(world.databasePath, run!.id).some((e) => e.type === 'resumed'));
      assert.equal(world.sim.posts(3).length, 1);

      await holder.kill('SIGKILL');
      world.lucca.releaseHeld();
      await waitFor(
        () => finishedRuns(world),
        'the other process to finish the run',
        PATIENCE_MS,
        () => other.output.slice(-10).join('\n'),
      );
      const resumed = readEvents(world.databasePath, run!.id).filter((e) => e.type === 'resumed');
      assert.equal(resumed.length, 1, 'taken over once, after the lease ran out');
      assert.equal(
        (JSON.parse(resumed[0]!.detail) as { previousHolder?: unknown }).previousHolder,
        workerIdOf(holder),
      );
      // The fetch was redone by the survivor (the first one never got its answer); everything else once.
      assert.equal(world.lucca.records.filter(luccaCall.fetch).length, 2);
      assert.equal(world.lucca.records.filter(luccaCall.trigger).length, 1, 'one POST');
      assert.equal(world.sim.posts(3).length, 1);
      assert.equal(world.slack.uploads.filter((u) => u.completed).length, 1, 'one file shared');
    } finally {
      await stopAll(apps);
      await world.close();
    }
  });

  test('the same command reaching both processes at once: one run, one POST, one thread', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld();
    const apps: AppProcess[] = [];
    try {
      const [a, b] = await startTwo(t, world, apps);
      const acks = await Promise.all([command(a, world), command(b, world)]);
      assert.deepEqual(
        acks.map((ack) => ack.status),
        [200, 200],
      );
      await waitFor(() => finishedRuns(world), 'the run to finish');
      assert.equal(readRuns(world.databasePath).length, 1, 'one run: the second request joined it');
      assertEachStepOnce(world);
      const parents = world.slack.messagesIn(PAYROLL).filter((m) => !m.thread_ts && !m.files);
      assert.equal(parents.length, 1, 'the joining process removed its own placeholder');
      assertRepliesOnce(world);
      await waitFor(
        () => world.slack.responses.some((r) => /already running/.test(String(r.body.text))),
        'the second person told it is already running',
      );
    } finally {
      await stopAll(apps);
      await world.close();
    }
  });

  test('a schedule due when both start is fired once: one run, one POST', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld({ env: { SCHEDULE_CATCH_UP: '40d', SCHEDULE_TIMEZONE: 'Europe/Paris' } });
    const apps: AppProcess[] = [];
    try {
      const scheduleId = seedDueSchedule(world);

      await startTwo(t, world, apps);
      await waitFor(
        () => finishedRuns(world),
        'the scheduled run to finish',
        PATIENCE_MS,
        () => apps.flatMap((app) => app.output.slice(-5)).join('\n'),
      );
      assert.equal(readRuns(world.databasePath).length, 1, 'one run for the occurrence');
      assertEachStepOnce(world);
      assertRepliesOnce(world);
      const check = openDatabase(world.databasePath);
      const occurrences = new ScheduleStore(check).occurrencesOf(scheduleId);
      check.close();
      assert.equal(occurrences.length, 1);
      assert.equal(occurrences[0]!.outcome, 'started');
      const taken = apps.filter((app) => app.output.some((l) => l.includes('occurrence already taken')));
      assert.equal(taken.length, 1, 'the other process found the occurrence taken');
    } finally {
      await stopAll(apps);
      await world.close();
    }
  });
});
