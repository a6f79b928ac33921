import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStalled, pollDelay, retryBackoff, waitingMilestoneDue } from '../../src/exports/poll-policy.js';

const bounds = { minMs: 5_000, maxMs: 60_000 };
const MINUTE = 60_000;

/** Polls made for an export that appears `buildMs` after the POST, the POST being held `holdMs`. */
function pollsFor(buildMs: number, holdMs: number): { polls: number; detectedAt: number } {
  let age = holdMs;
  let polls = 0;
  for (;;) {
    age += pollDelay(age, bounds);
    polls++;
    if (age >= buildMs) return { polls, detectedAt: age };
  }
}

describe('pollDelay', () => {
  it('starts at the minimum so a quick export is noticed within seconds', () => {
    assert.equal(pollDelay(0, bounds), 5_000);
    assert.equal(pollDelay(10_000, bounds), 5_000);
  });

  it('grows with the age of the run, up to the maximum', () => {
    assert.equal(pollDelay(2 * MINUTE, bounds), 30_000);
    assert.equal(pollDelay(3 * MINUTE, bounds), 45_000);
    assert.equal(pollDelay(60 * MINUTE, bounds), 60_000);
  });

  it('notices an export within max(5 s, a fifth of the age at which it is noticed)', () => {
    for (let buildMs = 31_000; buildMs <= 90 * MINUTE; buildMs += 1_000) {
      const { detectedAt } = pollsFor(buildMs, 30_000);
      assert.ok(detectedAt - buildMs <= Math.max(5_000, detectedAt * 0.2), `build ${buildMs}`);
    }
  });

  it('costs few polls: 7 for a 2-minute export, 16 for a 10-minute one (POST held 30 s)', () => {
    assert.equal(pollsFor(2 * MINUTE, 30_000).polls, 7);
    assert.equal(pollsFor(10 * MINUTE, 30_000).polls, 16);
    // Beyond the growth phase an hour costs one poll a minute: the maximum decides.
    assert.ok(pollsFor(60 * MINUTE, 30_000).polls <= 66);
  });

  it('keeps the minimum when the maximum is set below it', () => {
    assert.equal(pollDelay(60 * MINUTE, { minMs: 10_000, maxMs: 1_000 }), 10_000);
  });
});

describe('isStalled', () => {
  it('is true from the stall limit on', () => {
    assert.equal(isStalled(59 * MINUTE, 60 * MINUTE), false);
    assert.equal(isStalled(60 * MINUTE, 60 * MINUTE), true);
  });
});

describe('waitingMilestoneDue', () => {
  it('announces at 2, 5, 10, 20, 40 minutes and then every doubling', () => {
    const announced: number[] = [];
    let last = 0;
    for (let waited = 0; waited <= 200 * MINUTE; waited += 10_000) {
      const due = waitingMilestoneDue(waited, last);
      if (due !== null) {
        announced.push(due / MINUTE);
        last = due;
      }
    }
    assert.deepEqual(announced, [5, 15, 30, 60, 120]);
  });

  it('says nothing before five minutes and nothing twice', () => {
    assert.equal(waitingMilestoneDue(4 * MINUTE, 0), null);
    assert.equal(waitingMilestoneDue(7 * MINUTE, 5 * MINUTE), null);
  });

  it('announces only the latest milestone when polls skipped several', () => {
    assert.equal(waitingMilestoneDue(20 * MINUTE, 0), 15 * MINUTE);
  });
});

describe('retryBackoff', () => {
  it('doubles from the base and stops at the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 10].map((n) => retryBackoff(n, 5_000, 60_000)),
      [5_000, 10_000, 20_000, 40_000, 60_000],
    );
  });
});
