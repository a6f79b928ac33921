import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import type { ExportRequest } from '../../src/exports/types.js';
import { type Database, openDatabase } from '../../src/store/database.js';
import { ConfigurationBusyError } from '../../src/store/errors.js';
import { RunStore } from '../../src/store/run-store.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const root = mkdtempSync(path.join(os.tmpdir(), 'run-store-'));
after(() => rmSync(root, { recursive: true, force: true }));

function request(overrides: Partial<ExportRequest> = {}): ExportRequest {
  return {
    configurationId: 3,
    endsAt: '2026-12-01',
    requestedBy: 'U1',
    source: 'command',
    channelId: 'C1',
    ...overrides,
  };
}

let db: Database;
let store: RunStore;
let counter = 0;
beforeEach(() => {
  db = openDatabase(path.join(root, `store-${counter++}.sqlite`));
  store = new RunStore(db);
});

describe('RunStore.createRun', () => {
  it('starts a run at once when the configuration is free', () => {
    const { run, outcome, event } = store.createRun(
      request({ configurationLabel: 'payroll', note: 'n' }),
      T0,
    );
    assert.equal(outcome, 'created');
    assert.equal(run.state, 'baseline');
    assert.equal(run.nextAt, T0);
    assert.equal(run.attempt, 1);
    assert.equal(run.configurationLabel, 'payroll');
    assert.equal(event.type, 'requested');
    assert.deepEqual(store.get(run.id), run);
  });

  it('joins the run already asked for with the same configuration and end date', () => {
    const first = store.createRun(request(), T0);
    const second = store.createRun(request({ requestedBy: 'U2' }), T0 + 1000);
    assert.equal(second.outcome, 'joined');
    assert.equal(second.run.id, first.run.id);
    assert.equal(second.event.type, 'joined');
    assert.equal(second.event.actor, 'U2');
    assert.equal(store.recent(10).length, 1);
  });

  it('queues another end date for a busy configuration, outside the active index', () => {
    store.createRun(request(), T0);
    const queued = store.createRun(request({ endsAt: '2027-01-01' }), T0);
    assert.equal(queued.outcome, 'queued');
    assert.equal(queued.run.state, 'queued');
    assert.equal(queued.run.nextAt, null);
    // The same end date asked again while queued joins the queued run.
    assert.equal(store.createRun(request({ endsAt: '2027-01-01' }), T0).outcome, 'joined');
    // Another configuration is independent.
    assert.equal(store.createRun(request({ configurationId: 4 }), T0).outcome, 'created');
  });

  it('records the parent message posted for the run with it; a join keeps the first run’s thread', () => {
    const first = store.createRun(request({ threadTs: '1700000000.000100' }), T0);
    assert.equal(first.run.threadTs, '1700000000.000100');
    assert.equal(store.get(first.run.id)?.threadTs, '1700000000.000100');
    const joined = store.createRun(request({ requestedBy: 'U2', threadTs: '1700000000.000200' }), T0);
    assert.equal(joined.outcome, 'joined');
    assert.equal(store.get(first.run.id)?.threadTs, '1700000000.000100');
    // A thread with no channel would point nowhere.
    const cli = store.createRun(
      request({ configurationId: 4, channelId: null, threadTs: '1700000000.000300' }),
      T0,
    );
    assert.equal(cli.run.threadTs, null);
  });

  it('starts a new run once the earlier one for the same end date has finished', () => {
    const first = store.createRun(request(), T0);
    store.transition(first.run.id, { from: ['baseline'], now: T0 }, { state: 'failed' });
    const again = store.createRun(request(), T0);
    assert.equal(again.outcome, 'created');
    assert.notEqual(again.run.id, first.run.id);
  });
});

describe('one active run per configuration', () => {
  it('is enforced by the database itself', () => {
    store.createRun(request(), T0);
    assert.throws(
      () =>
        db
          .prepare(
            `INSERT INTO runs (configuration_id, ends_at, state, requested_by, source, created_at, updated_at)
             VALUES (3, '2027-02-01', 'polling', 'U9', 'cli', 0, 0)`,
          )
          .run(),
      /UNIQUE/,
    );
  });

  it('turns a transition into a second active run into ConfigurationBusyError', () => {
    const first = store.createRun(request(), T0);
    store.transition(first.run.id, { from: ['baseline'], now: T0 }, { state: 'failed' });
    store.createRun(request({ endsAt: '2027-01-01' }), T0);
    assert.throws(
      () => store.transition(first.run.id, { from: ['failed'], now: T0 }, { state: 'baseline' }),
      ConfigurationBusyError,
    );
    assert.equal(store.get(first.run.id)?.state, 'failed');
  });
});

describe('RunStore.transition', () => {
  it('applies the patch only from the expected states and writes events in the same change', () => {
    const { run } = store.createRun(request(), T0);
    const moved = store.transition(
      run.id,
      { from: ['baseline'], now: T0 + 5 },
      { state: 'triggering', baselineId: 41, triggeredAt: T0 + 5 },
      [{ type: 'triggered', actor: 'engine', detail: { attempt: 1 } }],
    );
    assert.ok(moved);
    assert.equal(moved.run.state, 'triggering');
    assert.equal(moved.run.baselineId, 41);
    assert.equal(moved.run.updatedAt, T0 + 5);
    assert.deepEqual(
      moved.events.map((e) => e.type),
      ['triggered'],
    );
    assert.deepEqual(store.get(run.id), moved.run);

    const stale = store.transition(run.id, { from: ['baseline'], now: T0 + 6 }, { state: 'failed' }, [
      { type: 'failed', actor: 'engine' },
    ]);
    assert.equal(stale, undefined);
    assert.equal(store.get(run.id)?.state, 'triggering');
    assert.deepEqual(
      store.eventsOf(run.id).map((e) => e.type),
      ['requested', 'triggered'],
    );
  });

  it('requires the lease when a worker id is given', () => {
    const { run } = store.createRun(request(), T0);
    store.claimDue('w1', T0, 30_000, 10);
    assert.equal(
      store.transition(run.id, { from: ['baseline'], workerId: 'w2', now: T0 }, { polls: 1 }),
      undefined,
    );
    assert.ok(store.transition(run.id, { from: ['baseline'], workerId: 'w1', now: T0 }, { polls: 1 }));
  });

  it('stamps finishedAt on final states and clears it on the way back', () => {
    const { run } = store.createRun(request(), T0);
    const failed = store.transition(run.id, { from: ['baseline'], now: T0 + 1 }, { state: 'failed' });
    assert.equal(failed?.run.finishedAt, T0 + 1);
    const back = store.transition(run.id, { from: ['failed'], now: T0 + 2 }, { state: 'baseline' });
    assert.equal(back?.run.finishedAt, null);
  });

  it('stores files and summary as JSON and gives them back', () => {
    const { run } = store.createRun(request(), T0);
    const files = [{ name: 'é.csv', path: '/tmp/é.csv', bytes: 3, origin: 'csv' as const }];
    const summary = { exportId: 9, exportName: null, people: 1, entries: 2, totals: [] };
    store.transition(run.id, { from: ['baseline'], now: T0 }, { files, summary });
    assert.deepEqual(store.get(run.id)?.files, files);
    assert.deepEqual(store.get(run.id)?.summary, summary);
  });

  it('starts the oldest queued run when the active one leaves the configuration', () => {
    const active = store.createRun(request(), T0);
    const second = store.createRun(request({ endsAt: '2027-01-01' }), T0 + 1);
    const third = store.createRun(request({ endsAt: '2027-02-01' }), T0 + 2);
    const stalled = store.transition(
      active.run.id,
      { from: ['baseline'], now: T0 + 3 },
      { state: 'stalled' },
    );
    assert.equal(stalled?.promoted, undefined, 'stalled still holds the configuration');
    const done = store.transition(active.run.id, { from: ['stalled'], now: T0 + 4 }, { state: 'cancelled' });
    assert.equal(done?.promoted?.id, second.run.id);
    assert.equal(store.get(second.run.id)?.state, 'baseline');
    assert.equal(store.get(second.run.id)?.nextAt, T0 + 4);
    assert.equal(store.get(third.run.id)?.state, 'queued');
  });
});

describe('leases', () => {
  it('claims due runs once; a second worker gets nothing while the lease holds', () => {
    const a = store.createRun(request(), T0);
    const b = store.createRun(request({ configurationId: 4 }), T0);
    store.createRun(request({ configurationId: 5 }), T0 + 60_000); // not due yet
    const first = store.claimDue('w1', T0, 30_000, 10);
    assert.deepEqual(first.map((c) => c.run.id).sort(), [a.run.id, b.run.id].sort());
    assert.ok(first.every((c) => c.run.lockedBy === 'w1' && c.previousHolder === null));
    assert.deepEqual(store.claimDue('w2', T0 + 1_000, 30_000, 10), []);
  });

  it('respects the limit', () => {
    store.createRun(request(), T0);
    store.createRun(request({ configurationId: 4 }), T0);
    assert.equal(store.claimDue('w1', T0, 30_000, 1).length, 1);
    assert.equal(store.claimDue('w2', T0, 30_000, 1).length, 1);
  });

  it('lets another worker take a run whose lease ran out, and says whose it was', () => {
    const { run } = store.createRun(request(), T0);
    store.claimDue('w1', T0, 30_000, 10);
    const taken = store.claimDue('w2', T0 + 30_000, 30_000, 10);
    assert.equal(taken.length, 1);
    assert.equal(taken[0]?.previousHolder, 'w1');
    assert.equal(store.renewLease(run.id, 'w1', T0 + 30_001, 30_000), false, 'w1 lost it');
    assert.equal(store.renewLease(run.id, 'w2', T0 + 30_001, 30_000), true);
  });

  it('renewal keeps a run away from other workers', () => {
    const { run } = store.createRun(request(), T0);
    store.claimDue('w1', T0, 30_000, 10);
    assert.ok(store.renewLease(run.id, 'w1', T0 + 20_000, 30_000));
    assert.deepEqual(store.claimDue('w2', T0 + 40_000, 30_000, 10), []);
    assert.equal(store.claimDue('w2', T0 + 50_000, 30_000, 10).length, 1);
  });

  it('releases one lease or all of a worker', () => {
    const a = store.createRun(request(), T0);
    store.createRun(request({ configurationId: 4 }), T0);
    store.claimDue('w1', T0, 30_000, 10);
    assert.ok(store.releaseLease(a.run.id, 'w1'));
    assert.equal(store.releaseLease(a.run.id, 'w1'), false);
    assert.equal(store.releaseAllLeases('w1'), 1);
    assert.equal(store.claimDue('w2', T0, 30_000, 10).length, 2);
  });

  it('never claims queued or finished runs, nor stalled ones no longer looked at', () => {
    const a = store.createRun(request(), T0);
    store.createRun(request({ endsAt: '2027-01-01' }), T0);
    store.transition(a.run.id, { from: ['baseline'], now: T0 }, { state: 'stalled', nextAt: null });
    assert.deepEqual(store.claimDue('w1', T0 + 1, 30_000, 10), []);
  });

  it('claims a stalled run when its next late look is due', () => {
    const a = store.createRun(request(), T0);
    store.transition(a.run.id, { from: ['baseline'], now: T0 }, { state: 'stalled', nextAt: T0 + 60_000 });
    assert.deepEqual(store.claimDue('w1', T0 + 1, 30_000, 10), []);
    assert.deepEqual(
      store.claimDue('w1', T0 + 60_000, 30_000, 10).map((c) => c.run.id),
      [a.run.id],
    );
  });
});

describe('nextDueAt', () => {
  it('is the earliest time a workable run can be taken, leases included', () => {
    assert.equal(store.nextDueAt(), null);
    const a = store.createRun(request(), T0 + 10_000);
    store.createRun(request({ configurationId: 4 }), T0 + 20_000);
    assert.equal(store.nextDueAt(), T0 + 10_000);
    store.claimDue('w1', T0 + 10_000, 30_000, 1);
    assert.equal(store.nextDueAt(), T0 + 20_000);
    store.transition(a.run.id, { from: ['baseline'], now: T0 }, { state: 'stalled', nextAt: null });
    assert.equal(store.nextDueAt(), T0 + 20_000);
  });
});

describe('threads and retention', () => {
  it('remembers the Slack thread of a run', () => {
    const { run } = store.createRun(request(), T0);
    assert.equal(store.setThread(run.id, 'C9', '1700000000.000100')?.threadTs, '1700000000.000100');
    assert.equal(store.get(run.id)?.channelId, 'C9');
  });

  it('lists finished runs with files older than a cutoff, and forgets their files', () => {
    const files = [{ name: 'a.csv', path: '/x/a.csv', bytes: 1, origin: 'lucca' as const }];
    const old = store.createRun(request(), T0);
    store.transition(old.run.id, { from: ['baseline'], now: T0 + 1 }, { state: 'done', files });
    const recent = store.createRun(request({ configurationId: 4 }), T0);
    store.transition(recent.run.id, { from: ['baseline'], now: T0 + 100 }, { state: 'failed', files });
    const active = store.createRun(request({ configurationId: 5 }), T0);
    store.transition(active.run.id, { from: ['baseline'], now: T0 }, { files });

    assert.deepEqual(
      store.finishedRunsWithFiles(T0 + 50).map((r) => r.id),
      [old.run.id],
    );
    store.markFilesDeleted(old.run.id, T0 + 60);
    assert.deepEqual(store.get(old.run.id)?.files, []);
    assert.equal(store.get(old.run.id)?.filesDeletedAt, T0 + 60);
    assert.deepEqual(store.finishedRunsWithFiles(T0 + 50), []);
  });
});

describe('RunStore.countWaitingOnLucca', () => {
  it('counts the runs that poll Lucca now or soon: not queued, fetched, delivered or finished ones', () => {
    const polling = store.createRun(request({ configurationId: 1 }), T0).run;
    store.transition(polling.id, { from: ['baseline'], now: T0 }, { state: 'triggering' });
    store.transition(polling.id, { from: ['triggering'], now: T0 }, { state: 'polling' });
    const stalled = store.createRun(request({ configurationId: 2 }), T0).run;
    store.transition(stalled.id, { from: ['baseline'], now: T0 }, { state: 'stalled' });
    store.createRun(request({ configurationId: 3 }), T0); // baseline
    store.createRun(request({ configurationId: 3, endsAt: '2027-01-01' }), T0); // queued behind it
    const fetching = store.createRun(request({ configurationId: 4 }), T0).run;
    store.transition(fetching.id, { from: ['baseline'], now: T0 }, { state: 'fetching' });
    const done = store.createRun(request({ configurationId: 5 }), T0).run;
    store.transition(done.id, { from: ['baseline'], now: T0 }, { state: 'done' });
    assert.equal(store.countWaitingOnLucca(), 3);
  });
});

describe("a failure's facts", () => {
  it('are kept with the error code, and cleared with it', () => {
    const { run } = store.createRun(request(), T0);
    store.transition(
      run.id,
      { from: ['baseline'], now: T0 },
      {
        state: 'failed',
        errorCode: 'file-too-large',
        errorMessage: 'The export file is larger than 200 MB.',
        errorFacts: { maxBytes: 200_000_000 },
      },
    );
    assert.deepEqual(store.get(run.id)!.errorFacts, { maxBytes: 200_000_000 });
    store.transition(
      run.id,
      { from: ['failed'], now: T0 },
      { state: 'baseline', errorCode: null, errorMessage: null },
    );
    assert.equal(store.get(run.id)!.errorFacts, null, 'no error, no facts');
  });

  it('are null on a row written before they were kept (its English sentence is all there is)', () => {
    const { run } = store.createRun(request(), T0);
    db.prepare(
      "UPDATE runs SET state = 'failed', error_code = 'not-found', error_message = 'Lucca has no export configuration 3.', error_facts = NULL WHERE id = ?",
    ).run(run.id);
    const failed = store.get(run.id)!;
    assert.equal(failed.errorFacts, null);
    assert.equal(failed.errorMessage, 'Lucca has no export configuration 3.');
  });
});
