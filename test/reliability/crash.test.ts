/**
 * kill -9 at every state of a run, with the app as a real child process on a real clock: the app is
 * killed while a request of that state is in flight (held by a proxy, so the state is certain), then
 * started again on the same database. EXPORT_LEASE=3s lets the dead process's lease run out quickly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { BOT_TOKEN, LUCCA_KEY, PAYROLL, SIGNING_SECRET } from '../helpers/app-harness.js';
import {
  type AppProcess,
  PATIENCE_MS,
  readEvents,
  readRuns,
  startApp,
  waitFor,
} from '../helpers/app-process.js';
import { PROCESS_TEST_TIMEOUT } from '../helpers/child-processes.js';
import type { ProxiedRequest } from '../helpers/fault-proxy.js';
import {
  command,
  luccaCall,
  SIMULATED_FILE_BYTES,
  seedDueSchedule,
  slackMethod,
  startWorld,
  threadOf,
  type World,
  within,
} from './world.js';

interface CrashCase {
  state: 'baseline' | 'triggering' | 'polling' | 'fetching' | 'delivering';
  /** The request in flight when the app is killed. */
  via: 'lucca' | 'slack';
  match: (r: ProxiedRequest) => boolean;
  /** Whether the held request reaches the fake (Lucca builds the export it asked for). */
  forward: boolean;
  env?: Record<string, string>;
}

const CASES: CrashCase[] = [
  { state: 'baseline', via: 'lucca', match: luccaCall.baseline, forward: false },
  // The POST reaches Lucca, which builds the export; the app dies before any answer. The POST is held
  // 5 s so that the kill lands well before the app would give up on it.
  {
    state: 'triggering',
    via: 'lucca',
    match: luccaCall.trigger,
    forward: true,
    env: { EXPORT_TRIGGER_TIMEOUT: '5s' },
  },
  { state: 'polling', via: 'lucca', match: luccaCall.poll, forward: false },
  { state: 'fetching', via: 'lucca', match: luccaCall.fetch, forward: false },
  // The file's bytes are uploaded, the share (completeUploadExternal) is in flight.
  { state: 'delivering', via: 'slack', match: slackMethod('files.completeUploadExternal'), forward: false },
];

function everything(world: World, apps: AppProcess[]): string {
  return [
    ...apps.flatMap((app) => app.output),
    ...world.slack.calls.map((c) => JSON.stringify(c.args)),
    ...world.slack.responses.map((r) => JSON.stringify(r.body)),
  ].join('\n');
}

function assertNoSecrets(world: World, apps: AppProcess[]): void {
  const text = everything(world, apps);
  for (const secret of [LUCCA_KEY, BOT_TOKEN, SIGNING_SECRET]) {
    assert.ok(!text.includes(secret), 'a secret appears in the output or in Slack');
  }
}

/** Run done, file shared, parent says Delivered and the outbox is drained (nothing left to post). */
function finished(world: World): boolean {
  const [run] = readRuns(world.databasePath);
  if (run?.state !== 'done' || !run.thread_ts) return false;
  const { parent, replies } = threadOf(world, run.thread_ts);
  return (
    /Delivered/.test(JSON.stringify(parent?.blocks ?? [])) &&
    replies.some((m) => /Delivered to/.test(m.text ?? ''))
  );
}

function assertDeliveredOnce(world: World): void {
  const runs = readRuns(world.databasePath);
  assert.equal(runs.length, 1);
  const run = runs[0]!;
  assert.equal(run.state, 'done', 'no run stuck');
  assert.equal(run.locked_by, null, 'no lease left behind');
  assert.equal(world.sim.posts(3).length, run.attempt, 'exactly one POST per attempt');
  assert.equal(run.attempt, 1);
  assert.equal(world.sim.exportsOf(3).length, 1, 'one export built in Lucca');
  const completed = world.slack.uploads.filter((u) => u.completed);
  assert.equal(completed.length, 1, 'the file is shared exactly once');
  assert.equal(completed[0]!.channel_id, PAYROLL);
  assert.equal(completed[0]!.received, SIMULATED_FILE_BYTES);
  const { parent, replies } = threadOf(world, run.thread_ts!);
  assert.match(JSON.stringify(parent?.blocks ?? []), /Delivered/);
  assert.equal(
    replies.filter((m) => /Delivered to/.test(m.text ?? '')).length,
    1,
    'one "Delivered" in the thread',
  );
  // The outbox is published at least once: only the reply in flight at the kill may show twice.
  const texts = replies.map((m) => m.text ?? '');
  assert.ok(texts.length - new Set(texts).size <= 1, `replies repeated:\n${texts.join('\n')}`);
  const topLevel = world.slack.messagesIn(PAYROLL).filter((m) => !m.thread_ts && !m.files);
  assert.equal(topLevel.length, 1, 'one parent message');
}

describe('kill -9 at every state, then a restart on the same database', { concurrency: 1 }, () => {
  for (const c of CASES) {
    test(`killed in ${c.state}: resumed, one POST, one delivery, the thread ends "Delivered"`, {
      timeout: PROCESS_TEST_TIMEOUT,
    }, async (t) => {
      const world = await startWorld({ env: c.env });
      const apps: AppProcess[] = [];
      try {
        const proxy = c.via === 'lucca' ? world.lucca : world.slackProxy;
        const hold = proxy.failNext(c.match, { kind: 'hold', forward: c.forward });
        const first = await startApp(t, world.env);
        apps.push(first);
        assert.equal((await command(first, world)).status, 200);
        await within(hold.hit, PATIENCE_MS, `the ${c.state} request`);
        const killed = await first.kill('SIGKILL');
        assert.equal(killed.signal, 'SIGKILL');

        const atCrash = readRuns(world.databasePath);
        assert.equal(atCrash.length, 1);
        assert.equal(atCrash[0]!.state, c.state, 'the database holds the state the app died in');
        assert.ok(atCrash[0]!.locked_by, 'the dead process still holds the lease');
        proxy.releaseHeld();

        const second = await startApp(t, world.env);
        apps.push(second);
        await waitFor(
          () => finished(world),
          'the run to finish after the restart',
          PATIENCE_MS,
          () => [JSON.stringify(readRuns(world.databasePath)), ...second.output.slice(-15)].join('\n'),
        );
        const stopped = await second.kill('SIGTERM');
        assert.equal(stopped.code, 0, 'SIGTERM stops cleanly');

        assertDeliveredOnce(world);
        const events = readEvents(world.databasePath, atCrash[0]!.id).map((e) => e.type);
        assert.ok(events.includes('resumed'), 'the run says it was picked up again');
        const { replies } = threadOf(world, atCrash[0]!.thread_ts!);
        assert.ok(
          replies.some((m) => /restarted and picked this export up/.test(m.text ?? '')),
          'the thread says so',
        );
        assertNoSecrets(world, apps);
      } finally {
        for (const app of apps) await app.kill('SIGKILL');
        await world.close();
      }
    });
  }

  test('SIGTERM while the POST is in flight: exit 0, lease released, the next start resumes at once', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld({ env: { EXPORT_TRIGGER_TIMEOUT: '5s', EXPORT_LEASE: '30s' } });
    const apps: AppProcess[] = [];
    try {
      const hold = world.lucca.failNext(luccaCall.trigger, { kind: 'hold', forward: true });
      const first = await startApp(t, world.env);
      apps.push(first);
      await command(first, world);
      await within(hold.hit, PATIENCE_MS, 'the POST');
      const stopped = await first.kill('SIGTERM');
      assert.equal(stopped.code, 0, 'clean exit');
      assert.ok(first.output.some((line) => line.includes('stopped cleanly')));

      const [run] = readRuns(world.databasePath);
      // The POST's fate is unknown: the run is left polling for it, never to post again.
      assert.equal(run!.state, 'polling');
      assert.equal(run!.locked_by, null, 'the lease was released');
      world.lucca.releaseHeld();

      const second = await startApp(t, world.env);
      apps.push(second);
      await waitFor(
        () => finished(world),
        'the run to finish',
        PATIENCE_MS,
        () => second.output.slice(-15).join('\n'),
      );
      // Released, not waited out (EXPORT_LEASE is 30 s here): the second process found no holder to take
      // the run from, so it did not "resume" it.
      assert.deepEqual(
        readEvents(world.databasePath, run!.id).filter((e) => e.type === 'resumed'),
        [],
      );
      assert.equal((await second.kill('SIGTERM')).code, 0);
      assertDeliveredOnce(world);
      assertNoSecrets(world, apps);
    } finally {
      for (const app of apps) await app.kill('SIGKILL');
      await world.close();
    }
  });

  test('kill -9 while a schedule fires (its parent message in flight): never fired twice', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const world = await startWorld({ env: { SCHEDULE_CATCH_UP: '40d', SCHEDULE_TIMEZONE: 'Europe/Paris' } });
    const apps: AppProcess[] = [];
    try {
      // A month-start schedule whose latest occurrence passed while the app was down: the first
      // tick after start-up catches it up.
      const scheduleId = seedDueSchedule(world);

      const hold = world.slackProxy.failNext(slackMethod('chat.postMessage'), {
        kind: 'hold',
        forward: false,
      });
      const first = await startApp(t, world.env);
      apps.push(first);
      await within(hold.hit, PATIENCE_MS, 'the scheduled parent message');
      await first.kill('SIGKILL');
      world.slackProxy.releaseHeld();

      const second = await startApp(t, world.env);
      apps.push(second);
      await waitFor(
        () => second.output.some((line) => line.includes('occurrence already taken')),
        'the second process to see the occurrence taken',
        PATIENCE_MS,
        () => second.output.slice(-15).join('\n'),
      );
      // Give the engine and scheduler of the second process a moment to do anything they would.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal((await second.kill('SIGTERM')).code, 0);

      assert.equal(readRuns(world.databasePath).length, 0, 'no run started twice (nor once: see below)');
      assert.equal(world.sim.posts().length, 0, 'Lucca was never asked');
      assert.equal(world.slack.messages.length, 0, 'no parent message reached Slack');
      const check = openDatabase(world.databasePath);
      const occurrences = new ScheduleStore(check).occurrencesOf(scheduleId);
      check.close();
      // At most once: the claim stays with the process that died; after 10 min without a run it is
      // reported "interrupted" in `schedule list` and App Home, where "Run now" starts it by hand.
      assert.equal(occurrences.length, 1);
      assert.equal(occurrences[0]!.outcome, 'claimed');
      assertNoSecrets(world, apps);
    } finally {
      for (const app of apps) await app.kill('SIGKILL');
      await world.close();
    }
  });
});
