import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { RunStore } from '../../src/store/run-store.js';
import { type NewSchedule, ScheduleStore } from '../../src/store/schedule-store.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'schedule-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

const T0 = Date.UTC(2027, 0, 15, 9, 0);
const payroll: NewSchedule = {
  configurationId: 3,
  configurationLabel: 'payroll',
  rule: 'month-start',
  timeOfDay: '08:00',
  channelId: 'C0PAY',
  createdBy: 'U0ANA',
};
const february = { key: '2027-02', firesAt: Date.UTC(2027, 1, 1, 7, 0), endsAt: '2027-02-01' };

function memoryStore() {
  const db = openDatabase(':memory:');
  return { db, store: new ScheduleStore(db) };
}

describe('schedules', () => {
  it('adds a schedule with who added it, and lists it', () => {
    const { store } = memoryStore();
    const created = store.create(payroll, T0);
    assert.equal(created.outcome, 'created');
    assert.deepEqual(store.listEnabled(), [created.schedule]);
    assert.equal(created.schedule.createdBy, 'U0ANA');
    assert.equal(created.schedule.enabled, true);
    assert.equal(created.schedule.createdAt, T0);
  });

  it('refuses the same configuration and rule twice in one channel, and names the existing one', () => {
    const { store } = memoryStore();
    const first = store.create(payroll, T0);
    const again = store.create({ ...payroll, timeOfDay: '07:00', createdBy: 'U0BOB' }, T0 + 1);
    assert.equal(again.outcome, 'duplicate');
    assert.equal(again.schedule.id, first.schedule.id);
    assert.equal(again.schedule.timeOfDay, '08:00');
    // Another channel or another rule is a different schedule.
    assert.equal(store.create({ ...payroll, channelId: 'C0HR' }, T0).outcome, 'created');
    assert.equal(store.create({ ...payroll, rule: 'monday-after' }, T0).outcome, 'created');
    assert.equal(store.listEnabled().length, 3);
  });

  it('removes by disabling: gone from the list, kept with who and when, and may be added again', () => {
    const { store } = memoryStore();
    const { schedule } = store.create(payroll, T0);
    const removed = store.disable(schedule.id, 'U0BOB', T0 + 60_000);
    assert.equal(removed.outcome, 'disabled');
    assert.deepEqual(store.listEnabled(), []);
    const kept = store.get(schedule.id)!;
    assert.equal(kept.enabled, false);
    assert.equal(kept.disabledBy, 'U0BOB');
    assert.equal(kept.disabledAt, T0 + 60_000);
    assert.equal(store.disable(schedule.id, 'U0ANA', T0 + 120_000).outcome, 'already-disabled');
    assert.equal(store.get(schedule.id)!.disabledBy, 'U0BOB');
    assert.equal(store.disable(999, 'U0ANA', T0).outcome, 'not-found');
    assert.equal(store.create(payroll, T0 + 180_000).outcome, 'created');
    assert.equal(store.listAll().length, 2);
  });
});

describe('occurrences', () => {
  it('claims an occurrence exactly once', () => {
    const { store } = memoryStore();
    const { schedule } = store.create(payroll, T0);
    assert.equal(store.claimOccurrence(schedule.id, february, 'worker-a', T0), true);
    assert.equal(store.claimOccurrence(schedule.id, february, 'worker-a', T0), false);
    assert.equal(store.claimOccurrence(schedule.id, february, 'worker-b', T0), false);
    assert.equal(store.occurrence(schedule.id, '2027-02')?.claimedBy, 'worker-a');
    assert.equal(store.occurrence(schedule.id, '2027-02')?.outcome, 'claimed');
  });

  it('claims nothing for a disabled schedule', () => {
    const { store } = memoryStore();
    const { schedule } = store.create(payroll, T0);
    store.disable(schedule.id, 'U0ANA', T0);
    assert.equal(store.claimOccurrence(schedule.id, february, 'worker-a', T0), false);
    assert.equal(store.occurrence(schedule.id, '2027-02'), undefined);
  });

  it('keeps a claim across a restart and gives it to one of two connections on the same file', () => {
    const file = path.join(root, 'two-connections.sqlite');
    const a = openDatabase(file);
    const b = openDatabase(file);
    try {
      const storeA = new ScheduleStore(a);
      const storeB = new ScheduleStore(b);
      const { schedule } = storeA.create(payroll, T0);
      const wins = [storeA, storeB, storeB, storeA].map((s, i) =>
        s.claimOccurrence(schedule.id, february, `worker-${i}`, T0),
      );
      assert.deepEqual(wins, [true, false, false, false]);
    } finally {
      a.close();
      b.close();
    }
    const reopened = openDatabase(file);
    try {
      const store = new ScheduleStore(reopened);
      assert.equal(store.claimOccurrence(1, february, 'after-restart', T0), false);
      assert.equal(store.occurrence(1, '2027-02')?.claimedBy, 'worker-0');
    } finally {
      reopened.close();
    }
  });

  it('records the outcome of a claim once, and the latest occurrence by due time', () => {
    const { store } = memoryStore();
    const { schedule } = store.create(payroll, T0);
    const march = { key: '2027-03', firesAt: Date.UTC(2027, 2, 1, 7, 0), endsAt: '2027-03-01' };
    store.claimOccurrence(schedule.id, february, 'w', T0);
    assert.equal(store.recordOutcome(schedule.id, '2027-02', 'started', { runId: 12 }, T0 + 1), true);
    assert.equal(store.recordOutcome(schedule.id, '2027-02', 'failed', { errorCode: 'x' }, T0 + 2), false);
    assert.equal(store.occurrence(schedule.id, '2027-02')?.runId, 12);
    assert.equal(store.occurrence(schedule.id, '2027-02')?.outcome, 'started');

    store.claimOccurrence(schedule.id, march, 'w', T0);
    store.recordOutcome(
      schedule.id,
      '2027-03',
      'failed',
      { errorCode: 'not-in-channel', errorMessage: 'I am not a member of this channel.' },
      T0 + 3,
    );
    const latest = store.latestOccurrence(schedule.id)!;
    assert.equal(latest.key, '2027-03');
    assert.equal(latest.outcome, 'failed');
    assert.equal(latest.errorMessage, 'I am not a member of this channel.');
    assert.equal(latest.finishedAt, T0 + 3);
  });

  it('records a missed occurrence once, and it can never be claimed afterwards', () => {
    const { store } = memoryStore();
    const { schedule } = store.create(payroll, T0);
    assert.equal(store.recordMissed(schedule.id, february, 'w', T0), true);
    assert.equal(store.recordMissed(schedule.id, february, 'w', T0), false);
    assert.equal(store.claimOccurrence(schedule.id, february, 'w', T0), false);
    assert.equal(store.occurrence(schedule.id, '2027-02')?.outcome, 'missed');
  });

  it('finds stale claims and the run a schedule created for them', () => {
    const { db, store } = memoryStore();
    const runs = new RunStore(db);
    const { schedule } = store.create(payroll, T0);
    store.claimOccurrence(schedule.id, february, 'w', T0);
    assert.deepEqual(store.staleClaims(T0 - 1), []);
    assert.deepEqual(
      store.staleClaims(T0).map((c) => c.key),
      ['2027-02'],
    );
    assert.equal(store.runIdFor(schedule.id, '2027-02-01', T0), undefined);
    const { run } = runs.createRun(
      {
        configurationId: 3,
        endsAt: '2027-02-01',
        requestedBy: `schedule:${schedule.id}`,
        source: 'schedule',
        channelId: 'C0PAY',
        scheduleId: schedule.id,
      },
      T0 + 5,
    );
    assert.equal(store.runIdFor(schedule.id, '2027-02-01', T0), run.id);
    assert.equal(store.runIdFor(schedule.id, '2027-02-01', T0 + 10), undefined);
  });
});
