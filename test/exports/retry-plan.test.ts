import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RetriedRun, retryPlan } from '../../src/exports/retry-plan.js';
import type { RunPatch } from '../../src/exports/run-repository.js';
import { RUN_STATES, type StoredFile } from '../../src/exports/types.js';

const NOW = Date.UTC(2026, 11, 1, 10, 0);
const file = (name: string): StoredFile => ({
  name,
  path: `/files/run-7/${name}`,
  bytes: 10,
  origin: 'lucca',
});
const onDisk = new Set(['/files/run-7/a.csv', '/files/run-7/b.csv']);
const exists = (filePath: string) => onDisk.has(filePath);

/** A run that failed before anything was asked of Lucca; each case adds what its run got to. */
const failed = (overrides: Partial<RetriedRun> = {}): RetriedRun => ({
  state: 'failed',
  attempt: 2,
  files: [],
  exportId: null,
  baselineId: null,
  triggeredAt: null,
  ...overrides,
});

describe('retryPlan', () => {
  // A table of (run, as got tests its calculate-retry-delay) → where Retry takes it and what it tells.
  const cases: [string, RetriedRun, 'retrying' | 'redelivering', RunPatch, Record<string, boolean>][] = [
    [
      'a stalled run: one more look with its old baseline',
      failed({ state: 'stalled', baselineId: 288, triggeredAt: NOW - 3_600_000 }),
      'retrying',
      { state: 'polling', recheck: true },
      { recheck: true },
    ],
    [
      'failed with its files on disk: delivered again, not exported again',
      failed({ files: [file('a.csv'), file('b.csv')], exportId: 290, baselineId: 288, triggeredAt: NOW }),
      'redelivering',
      { state: 'delivering', deliveryAttempts: 0 },
      { redeliver: true },
    ],
    [
      'failed with a file gone from disk: the known export is fetched again',
      failed({ files: [file('a.csv'), file('gone.csv')], exportId: 290, baselineId: 288, triggeredAt: NOW }),
      'retrying',
      { state: 'fetching', files: [] },
      { refetch: true },
    ],
    [
      'failed while fetching a known export: fetched again',
      failed({ exportId: 290, baselineId: 288, triggeredAt: NOW }),
      'retrying',
      { state: 'fetching', files: [] },
      { refetch: true },
    ],
    [
      'failed after the POST was sent: one more look before asking Lucca again',
      failed({ baselineId: 288, triggeredAt: NOW - 600_000 }),
      'retrying',
      { state: 'polling', recheck: true },
      { recheck: true },
    ],
    [
      'failed after the baseline but before the POST: starts over',
      failed({ baselineId: 288 }),
      'retrying',
      { state: 'baseline' },
      {},
    ],
    [
      'failed before anything was asked of Lucca: starts over',
      failed(),
      'retrying',
      { state: 'baseline' },
      {},
    ],
  ];
  for (const [why, run, outcome, patch, flags] of cases) {
    it(why, () => {
      assert.deepEqual(retryPlan(run, NOW, exists), {
        outcome,
        patch: {
          nextAt: NOW,
          lockedBy: null,
          lockedUntil: null,
          stepErrors: 0,
          errorCode: null,
          errorMessage: null,
          ...patch,
        },
        detail: { attempt: 2, redeliver: false, recheck: false, refetch: false, ...flags },
      });
    });
  }

  it('leaves alone a run that is moving, queued, done or cancelled (a second click changes nothing)', () => {
    for (const state of RUN_STATES.filter((s) => s !== 'failed' && s !== 'stalled')) {
      assert.equal(
        retryPlan(failed({ state, exportId: 290, baselineId: 288 }), NOW, exists),
        undefined,
        state,
      );
    }
  });
});
