import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { openDatabase } from '../../src/store/database.js';
import { Outbox } from '../../src/store/outbox.js';
import { RunStore } from '../../src/store/run-store.js';

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const root = mkdtempSync(path.join(os.tmpdir(), 'outbox-'));
after(() => rmSync(root, { recursive: true, force: true }));

const request = () => ({
  configurationId: 3,
  endsAt: '2026-12-01',
  requestedBy: 'U1',
  source: 'command' as const,
  channelId: 'C1',
});

let store: RunStore;
let outbox: Outbox;
let counter = 0;
beforeEach(() => {
  const db = openDatabase(path.join(root, `outbox-${counter++}.sqlite`));
  store = new RunStore(db);
  outbox = new Outbox(db, store);
});

describe('events outbox', () => {
  it('hands out unpublished events in order and marks them published once', () => {
    const a = store.createRun(request(), T0);
    store.createRun(request(), T0 + 1); // joined
    store.appendEvent(
      a.run.id,
      { type: 'waiting', actor: 'engine', detail: { waitedMs: 120_000, polls: 4 } },
      T0 + 2,
    );
    const pending = outbox.unpublishedEvents(10);
    assert.deepEqual(
      pending.map((e) => e.type),
      ['requested', 'joined', 'waiting'],
    );
    assert.deepEqual(pending[2]?.detail, { waitedMs: 120_000, polls: 4 });
    assert.equal(outbox.markPublished([pending[0]!.id, pending[1]!.id], T0 + 3), 2);
    assert.equal(outbox.markPublished([pending[0]!.id], T0 + 4), 0);
    assert.deepEqual(
      outbox.unpublishedEvents(10).map((e) => e.type),
      ['waiting'],
    );
    assert.equal(store.eventsOf(a.run.id)[0]?.publishedAt, T0 + 3);
  });
});

describe('turn at the outbox', () => {
  it('lets one process publish at a time, until its turn ends or runs out', () => {
    assert.equal(outbox.takeOutboxTurn('a', T0, 30_000), true);
    assert.equal(outbox.takeOutboxTurn('b', T0 + 1_000, 30_000), false, 'a holds it');
    assert.equal(outbox.takeOutboxTurn('a', T0 + 20_000, 30_000), true, 'a renews it');
    assert.equal(outbox.takeOutboxTurn('b', T0 + 40_000, 30_000), false, 'renewed until T0 + 50 s');
    assert.equal(outbox.takeOutboxTurn('b', T0 + 50_000, 30_000), true, 'a crashed: its turn ran out');
    outbox.endOutboxTurn('b');
    assert.equal(outbox.takeOutboxTurn('a', T0 + 51_000, 30_000), true, 'b ended its turn');
  });
});
