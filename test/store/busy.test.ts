import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../fakes/manual-clock.js';
import { BUSY_TIMEOUT_MS, DatabaseBusyError, isDatabaseBusy, whenNotBusy } from '../../src/store/busy.js';
import { openDatabase } from '../../src/store/database.js';
import { RunStore } from '../../src/store/run-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsx-busy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The app's connection (short busy timeout) and another process's, holding the write lock. */
function lockedStore(name: string) {
  const file = path.join(dir, name);
  const db = openDatabase(file, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  const other = new Database(file);
  other.exec('BEGIN EXCLUSIVE');
  return {
    store: new RunStore(db),
    release: () => other.exec('ROLLBACK'),
    close: () => {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      db.close();
    },
  };
}

const request = {
  configurationId: 3,
  configurationLabel: 'payroll',
  endsAt: '2026-12-01',
  requestedBy: 'U0ANA',
  source: 'command' as const,
  channelId: 'C0PAYROLL',
};

/** Lets the retry loop reach its next sleep on the manual clock. */
async function parked(clock: ManualClock): Promise<void> {
  for (let i = 0; i < 100 && clock.pending === 0; i++) await new Promise((r) => setImmediate(r));
}

describe('whenNotBusy', () => {
  test('a write that meets a lock fails within the short busy timeout, as SQLITE_BUSY', () => {
    const locked = lockedStore('fails.sqlite');
    try {
      assert.throws(() => locked.store.createRun(request, Date.now()), isDatabaseBusy);
    } finally {
      locked.close();
    }
  });

  test('retries after pauses until the lock is released; the run is recorded once', async () => {
    const locked = lockedStore('retries.sqlite');
    const clock = new ManualClock();
    let tries = 0;
    try {
      const recording = whenNotBusy(
        () => {
          tries++;
          return locked.store.createRun(request, clock.now());
        },
        { clock },
      );
      for (let i = 0; i < 3; i++) {
        await parked(clock);
        await clock.advance(1_000);
      }
      locked.release();
      await parked(clock);
      await clock.advance(1_000);
      const created = await recording;
      assert.equal(created.outcome, 'created');
      assert.ok(tries > 3, `refused tries, then the one that got through (${tries})`);
      assert.equal(locked.store.recent(10).length, 1);
    } finally {
      locked.close();
    }
  });

  test('gives up after 15 s of a held lock with a sentence, having recorded nothing', async () => {
    const locked = lockedStore('gives-up.sqlite');
    const clock = new ManualClock();
    try {
      const recording = whenNotBusy(() => locked.store.createRun(request, clock.now()), { clock });
      const outcome = recording.then(
        () => 'recorded',
        (error: unknown) => error,
      );
      for (let i = 0; i < 40; i++) {
        await parked(clock);
        await clock.advance(1_000);
      }
      const error = await outcome;
      assert.ok(error instanceof DatabaseBusyError);
      assert.equal(error.code, 'database-busy');
      assert.match(error.userMessage, /locked by another program for 15 s/);
      assert.match(error.userMessage, /nothing was sent to Lucca/);
      locked.release();
      assert.equal(locked.store.recent(10).length, 0);
    } finally {
      locked.close();
    }
  });

  test('other errors are not retried', async () => {
    let tries = 0;
    await assert.rejects(
      whenNotBusy(
        () => {
          tries++;
          throw new RangeError('not a lock');
        },
        { clock: new ManualClock() },
      ),
      RangeError,
    );
    assert.equal(tries, 1);
  });
});
