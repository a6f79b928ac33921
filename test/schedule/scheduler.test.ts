import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../fakes/manual-clock.js';
import { SlackPostError } from '../../src/bot/start-run.js';
import { localToUtc } from '../../src/schedule/rules.js';
import {
  type CronFactory,
  type ScheduledRunRequest,
  Scheduler,
  type SchedulerOptions,
} from '../../src/schedule/scheduler.js';
import { openDatabase } from '../../src/store/database.js';
import { RunStore } from '../../src/store/run-store.js';
import { type NewSchedule, ScheduleStore } from '../../src/store/schedule-store.js';
import { silentLogger } from '../../src/util/log.js';
import { PROCESS_TEST_TIMEOUT, runChild } from '../helpers/child-processes.js';

const ZONE = 'Europe/Paris';
const DAY = 86_400_000;
const MINUTE = 60_000;
const paris = (date: string, time: string) => localToUtc(date, time, ZONE);

const root = mkdtempSync(path.join(os.tmpdir(), 'scheduler-'));
after(() => rmSync(root, { recursive: true, force: true }));

function schedule(rule: NewSchedule['rule'], extra: Partial<NewSchedule> = {}): NewSchedule {
  return {
    configurationId: 3,
    configurationLabel: 'payroll',
    rule,
    timeOfDay: '08:00',
    channelId: 'C0PAY',
    createdBy: 'U0ANA',
    ...extra,
  };
}

/** The startRun port: records every request; answers like startRunInSlack ({ run: { id } }). */
function recordingPort() {
  const calls: ScheduledRunRequest[] = [];
  let nextId = 100;
  const startRun = async (request: ScheduledRunRequest) => {
    calls.push(request);
    return { run: { id: nextId++ }, outcome: 'created' };
  };
  return { calls, startRun };
}

function setup(options: Partial<SchedulerOptions> & { start?: number } = {}) {
  const db = openDatabase(':memory:');
  const store = new ScheduleStore(db);
  const clock = new ManualClock(options.start ?? paris('2026-12-15', '10:00'));
  const port = recordingPort();
  const make = (extra: Partial<SchedulerOptions> = {}) =>
    new Scheduler({
      store,
      clock,
      startRun: port.startRun,
      timezone: ZONE,
      catchUpMs: 3 * DAY,
      logger: silentLogger,
      ...options,
      ...extra,
    });
  return { db, store, clock, port, make };
}

describe('Scheduler: on time', () => {
  it('starts a scheduled run at the occurrence, once, in the schedule channel', async () => {
    const { store, clock, port, make } = setup();
    const { schedule: s } = store.create(schedule('month-start', { timeOfDay: '07:30' }), clock.now());
    const scheduler = make();

    clock.set(paris('2027-01-01', '07:29'));
    await scheduler.tick();
    assert.equal(port.calls.length, 0, 'not before its time');

    clock.set(paris('2027-01-01', '07:30'));
    const report = await scheduler.tick();
    assert.equal(port.calls.length, 1);
    const request = port.calls[0]!;
    assert.equal(request.configurationId, 3);
    assert.equal(request.configurationLabel, 'payroll');
    assert.equal(request.endsAt, '2027-01-01');
    assert.equal(request.source, 'schedule');
    assert.equal(request.requestedBy, `schedule:${s.id}`);
    assert.equal(request.scheduleId, s.id);
    assert.equal(request.channelId, 'C0PAY');
    assert.doesNotMatch(request.note ?? '', /Caught up late/);
    assert.match(request.note ?? '', /schedule 1/);
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['started'],
    );
    assert.equal(store.occurrence(s.id, '2027-01')?.runId, 100);

    for (const minutes of [1, 2, 60, 24 * 60]) {
      clock.set(paris('2027-01-01', '07:30') + minutes * MINUTE);
      await scheduler.tick();
    }
    assert.equal(port.calls.length, 1, 'the following ticks start nothing more');

    clock.set(paris('2027-02-01', '07:31'));
    await scheduler.tick();
    assert.deepEqual(
      port.calls.map((c) => c.endsAt),
      ['2027-01-01', '2027-02-01'],
    );
  });

  it('skips an occurrence someone already exported by hand, saying which run delivered it', async () => {
    const delivered = new Map([['3:2027-01-01', { id: 41 }]]);
    const { store, clock, port, make } = setup({
      alreadyExported: (configurationId, endsAt) => delivered.get(`${configurationId}:${endsAt}`),
    });
    const { schedule: s } = store.create(schedule('month-start'), clock.now());
    const scheduler = make();
    clock.set(paris('2027-01-01', '08:00'));
    const report = await scheduler.tick();
    assert.equal(port.calls.length, 0, 'no second export of the same month');
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['skipped'],
    );
    const occurrence = store.occurrence(s.id, '2027-01');
    assert.equal(occurrence?.runId, 41);
    // A code and the run, no words: the list and App Home say it in their reader's language.
    assert.equal(occurrence?.errorCode, 'already-exported');
    assert.equal(occurrence?.errorMessage, null);

    clock.set(paris('2027-02-01', '08:00'));
    await scheduler.tick();
    assert.deepEqual(
      port.calls.map((c) => c.endsAt),
      ['2027-02-01'],
      'the next month runs as usual',
    );
  });

  it('does not fire an occurrence that came before the schedule was added', async () => {
    const { store, clock, port, make } = setup({ start: paris('2027-01-01', '09:00') });
    store.create(schedule('month-start'), clock.now()); // 08:00 today is already past
    const scheduler = make();
    const report = await scheduler.tick();
    assert.equal(port.calls.length, 0);
    assert.deepEqual(report.results, [], 'not even reported as missed');
    clock.set(paris('2027-02-01', '08:00'));
    await scheduler.tick();
    assert.deepEqual(
      port.calls.map((c) => c.endsAt),
      ['2027-02-01'],
    );
  });

  it('fires nothing for a removed schedule', async () => {
    const { store, clock, port, make } = setup();
    const { schedule: s } = store.create(schedule('month-start'), clock.now());
    store.disable(s.id, 'U0BOB', clock.now());
    clock.set(paris('2027-01-01', '08:00'));
    await make().tick();
    assert.equal(port.calls.length, 0);
  });

  it('fires at 08:00 Paris time after the clocks went forward (06:00 UTC instead of 07:00)', async () => {
    const { store, clock, port, make } = setup({ start: paris('2027-03-15', '10:00') });
    store.create(schedule('month-start', { timeOfDay: '08:00' }), clock.now());
    const scheduler = make();
    clock.set(Date.UTC(2027, 3, 1, 5, 59)); // 07:59 in Paris (UTC+2 since 28 March)
    await scheduler.tick();
    assert.equal(port.calls.length, 0);
    clock.set(Date.UTC(2027, 3, 1, 6, 0)); // 08:00 in Paris
    await scheduler.tick();
    assert.equal(port.calls.length, 1);
  });
});

describe('Scheduler: catch-up after downtime', () => {
  it('fires each occurrence missed inside the window once, in order, says it is late, and records the older ones as missed', async () => {
    const { store, clock, port, make } = setup({ start: paris('2026-12-15', '10:00'), catchUpMs: 4 * DAY });
    const preview = store.create(schedule('last-business-day', { configurationId: 7 }), clock.now()).schedule;
    const monthStart = store.create(schedule('month-start'), clock.now()).schedule;
    const monday = store.create(schedule('monday-after', { channelId: 'C0HR' }), clock.now()).schedule;

    // Running on 28 December, then down until Monday 4 January 09:00.
    clock.set(paris('2026-12-28', '09:00'));
    await make().tick();
    assert.equal(port.calls.length, 0);

    clock.set(paris('2027-01-04', '09:00')); // window: (31 Dec 09:00, 4 Jan 09:00]
    const restarted = make();
    const report = await restarted.tick();

    // Thu 31 Dec 08:00 (last business day) is one hour outside the window: missed, not started.
    assert.deepEqual(
      port.calls.map((c) => [c.scheduleId, c.endsAt]),
      [
        [monthStart.id, '2027-01-01'], // Fri 1 Jan 08:00
        [monday.id, '2027-01-04'], // Mon 4 Jan 08:00
      ],
    );
    assert.match(
      port.calls[0]!.note!,
      /^Caught up late: this export was due at Fri 1 Jan 2027 at 08:00 \(Europe\/Paris\) while the app was down\./,
    );
    assert.match(port.calls[1]!.note!, /due at Mon 4 Jan 2027 at 08:00 \(Europe\/Paris\)/);
    assert.equal(store.occurrence(preview.id, '2026-12')?.outcome, 'missed');
    assert.deepEqual(
      report.results.map((r) => [r.scheduleId, r.outcome]),
      [
        [preview.id, 'missed'],
        [monthStart.id, 'started'],
        [monday.id, 'started'],
      ],
    );

    // Every later tick, and every later restart, starts nothing more.
    await restarted.tick();
    clock.set(paris('2027-01-04', '09:05'));
    await make().tick();
    await make().tick();
    assert.equal(port.calls.length, 2);
  });

  it('runs one tick at start-up (catch-up) and then one per node-cron wake-up, every minute in the schedule zone', async () => {
    const { store, clock, port, make } = setup();
    store.create(schedule('month-start'), clock.now());
    const cronCalls: { expression: string; timezone: string; wake: () => Promise<void> }[] = [];
    let stopped = 0;
    const fakeCron: CronFactory = (expression, wake, options) => {
      cronCalls.push({ expression, timezone: options.timezone, wake });
      return { stop: () => void stopped++, destroy: () => undefined };
    };
    clock.set(paris('2027-01-02', '12:00')); // the app was down over the 1st
    const scheduler = make({ cron: fakeCron });
    await scheduler.start();
    assert.equal(port.calls.length, 1, 'the start-up tick caught up the 1st');
    assert.deepEqual(
      cronCalls.map((c) => [c.expression, c.timezone]),
      [['* * * * *', ZONE]],
    );

    clock.set(paris('2027-02-01', '08:00'));
    await cronCalls[0]!.wake();
    assert.equal(port.calls.length, 2);
    await scheduler.stop();
    assert.equal(stopped, 1);
  });

  it('starts and stops a real node-cron task', async () => {
    const { make } = setup();
    const scheduler = make();
    await scheduler.start();
    await scheduler.stop();
    const cron = (await import('node-cron')).default;
    assert.equal(
      [...cron.getTasks().values()].filter((t) => t.name === 'timesheet-export-schedules').length,
      0,
    );
  });
});

describe('Scheduler: exactly once', () => {
  it('a restart while a run is being started does not start it again', async () => {
    const { db, store, clock, make } = setup({ start: paris('2026-12-15', '10:00') });
    const runs = new RunStore(db);
    const { schedule: s } = store.create(schedule('month-start'), clock.now());
    clock.set(paris('2027-01-01', '08:00'));

    // Process A claims the occurrence, then hangs in Slack and dies: its startRun never settles.
    const hung: ScheduledRunRequest[] = [];
    const first = make({ startRun: (request) => new Promise(() => void hung.push(request)) });
    void first.tick();
    await clock.advance(0);
    assert.equal(hung.length, 1);

    // Process B starts a minute later.
    clock.set(paris('2027-01-01', '08:01'));
    const secondCalls: ScheduledRunRequest[] = [];
    const second = make({
      startRun: async (request) => {
        secondCalls.push(request);
        return {};
      },
    });
    await second.tick();
    assert.equal(secondCalls.length, 0);
    assert.equal(store.occurrence(s.id, '2027-01')?.outcome, 'claimed');

    // Later, B settles the abandoned claim: A had created the run before dying, so B links it.
    runs.createRun(
      {
        configurationId: 3,
        endsAt: '2027-01-01',
        requestedBy: `schedule:${s.id}`,
        source: 'schedule',
        channelId: 'C0PAY',
        scheduleId: s.id,
      },
      paris('2027-01-01', '08:00') + 2000,
    );
    clock.set(paris('2027-01-01', '08:15'));
    const report = await second.tick();
    assert.equal(secondCalls.length, 0);
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['started'],
    );
    assert.equal(store.occurrence(s.id, '2027-01')?.runId, 1);
  });

  it('an abandoned claim with no run is reported as interrupted, and not started again', async () => {
    const { store, clock, port, make } = setup();
    const { schedule: s } = store.create(schedule('month-start'), clock.now());
    clock.set(paris('2027-01-01', '08:00'));
    void make({ startRun: () => new Promise(() => undefined) }).tick();
    await clock.advance(0);
    clock.set(paris('2027-01-01', '08:20'));
    const report = await make().tick();
    assert.equal(port.calls.length, 0);
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['interrupted'],
    );
    const record = store.occurrence(s.id, '2027-01');
    assert.equal(record?.outcome, 'interrupted');
    assert.equal(record?.errorCode, 'interrupted');
    assert.equal(record?.errorMessage, null);
  });

  it('two schedulers on one database start one run', async () => {
    const file = path.join(root, 'two-schedulers.sqlite');
    const dbA = openDatabase(file);
    const dbB = openDatabase(file);
    try {
      const storeA = new ScheduleStore(dbA);
      const storeB = new ScheduleStore(dbB);
      const clock = new ManualClock(paris('2026-12-15', '10:00'));
      storeA.create(schedule('month-start'), clock.now());
      storeA.create(schedule('monday-after'), clock.now());
      const portA = recordingPort();
      const portB = recordingPort();
      const options = { clock, timezone: ZONE, catchUpMs: 4 * DAY, logger: silentLogger };
      const a = new Scheduler({ ...options, store: storeA, startRun: portA.startRun, workerId: 'a' });
      const b = new Scheduler({ ...options, store: storeB, startRun: portB.startRun, workerId: 'b' });
      clock.set(paris('2027-01-04', '08:30')); // both occurrences due (1 and 4 January)
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      const all = [...portA.calls, ...portB.calls].map((c) => c.endsAt).sort();
      assert.deepEqual(all, ['2027-01-01', '2027-01-04']);
    } finally {
      dbA.close();
      dbB.close();
    }
  });

  it('two processes on one database start each occurrence once', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const file = path.join(root, 'two-processes.sqlite');
    const db = openDatabase(file);
    const store = new ScheduleStore(db);
    const created = paris('2026-12-15', '10:00');
    for (let config = 1; config <= 30; config++) {
      store.create(schedule('month-start', { configurationId: config }), created);
    }
    db.close();
    const fixture = fileURLToPath(new URL('./fixtures/tick-once.ts', import.meta.url));
    const now = String(paris('2027-01-01', '08:00'));
    const runProcess = async (worker: string) => {
      const { code, stdout, stderr } = await runChild(t, process.execPath, [
        '--import',
        'tsx',
        fixture,
        file,
        now,
        worker,
      ]);
      if (code !== 0) throw new Error(`exit ${code}:\n${stderr}`);
      return stdout.split('\n').filter(Boolean);
    };
    const [first, second] = await Promise.all([runProcess('p1'), runProcess('p2')]);
    const started = [...first!, ...second!].sort();
    assert.equal(started.length, 30, 'every occurrence started');
    assert.equal(new Set(started).size, 30, 'none started twice');
  });
});

describe('Scheduler: failures', () => {
  it('records a start that Slack refused, tells the hook, and does not retry it', async () => {
    const { store, clock, make } = setup();
    const { schedule: s } = store.create(schedule('month-start'), clock.now());
    let attempts = 0;
    const failures: string[] = [];
    const scheduler = make({
      startRun: async () => {
        attempts++;
        throw new SlackPostError('not-in-channel', 'I am not a member of this channel.');
      },
      onStartFailed: ({ schedule: failed, occurrence }) =>
        void failures.push(`${failed.id}:${occurrence.key}`),
    });
    clock.set(paris('2027-01-01', '08:00'));
    const report = await scheduler.tick();
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['failed'],
    );
    const record = store.occurrence(s.id, '2027-01')!;
    assert.equal(record.outcome, 'failed');
    assert.equal(record.errorCode, 'not-in-channel');
    assert.equal(record.errorMessage, 'I am not a member of this channel.');
    assert.deepEqual(failures, [`${s.id}:2027-01`]);

    clock.set(paris('2027-01-01', '08:05'));
    await scheduler.tick();
    await make().tick();
    assert.equal(attempts, 1);
  });

  it('skips a schedule whose channel was taken off ALLOWED_CHANNELS', async () => {
    const { store, clock, port, make } = setup();
    const { schedule: s } = store.create(schedule('month-start', { channelId: 'C0OLD' }), clock.now());
    clock.set(paris('2027-01-01', '08:00'));
    await make({ channelAllowed: (channel) => channel === 'C0PAY' }).tick();
    assert.equal(port.calls.length, 0);
    const record = store.occurrence(s.id, '2027-01');
    assert.equal(record?.outcome, 'skipped');
    assert.equal(record?.errorCode, 'channel-not-allowed');
    assert.equal(record?.errorMessage, null);
  });

  it('still fires on time with a catch-up window of zero', async () => {
    const { store, clock, port, make } = setup({ catchUpMs: 0 });
    store.create(schedule('month-start'), clock.now());
    const scheduler = make();
    clock.set(paris('2027-01-01', '07:59'));
    await scheduler.tick();
    clock.set(paris('2027-01-01', '08:00') + 30_000);
    await scheduler.tick();
    assert.equal(port.calls.length, 1);
  });
});
