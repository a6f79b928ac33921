import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  isStalled,
  POLL_SHARE,
  type PollLoad,
  pollInterval,
  retryBackoff,
  waitingMilestoneDue,
} from '../../src/exports/poll-policy.js';

const bounds = { minMs: 5_000, maxMs: 60_000 };
const MINUTE = 60_000;
const BUDGET = 20;

const interval = (waitedMs: number, runsInFlight = 1, budgetPerMinute = BUDGET) =>
  pollInterval({ waitedMs, runsInFlight, budgetPerMinute }, bounds);

/**
 * Polls made for an export that appears `buildMs` after the POST, the POST being held `holdMs`,
 * with `runs` runs in flight all as old as this one.
 */
function pollsFor(buildMs: number, holdMs: number, runs = 1): { polls: number; detectedAt: number } {
  let age = holdMs;
  let polls = 0;
  for (;;) {
    age += interval(age, runs);
    polls++;
    if (age >= buildMs) return { polls, detectedAt: age };
  }
}

describe('pollInterval', () => {
  // A table of (time waited, runs in flight, budget) → interval, as in got's calculate-retry-delay tests.
  const cases: [PollLoad, number, string][] = [
    [{ waitedMs: 0, runsInFlight: 1, budgetPerMinute: 20 }, 5_000, 'a fresh run starts at the minimum'],
    [
      { waitedMs: 30_000, runsInFlight: 1, budgetPerMinute: 20 },
      5_000,
      'a tenth of 30 s is under the minimum',
    ],
    [{ waitedMs: 2 * MINUTE, runsInFlight: 1, budgetPerMinute: 20 }, 12_000, 'alone: a tenth of the wait'],
    [{ waitedMs: 7 * MINUTE, runsInFlight: 1, budgetPerMinute: 20 }, 42_000, 'alone: a tenth of the wait'],
    [{ waitedMs: 60 * MINUTE, runsInFlight: 1, budgetPerMinute: 20 }, 60_000, 'capped at the maximum'],
    [{ waitedMs: 30_000, runsInFlight: 2, budgetPerMinute: 20 }, 8_000, 'two runs share 15 polls a minute'],
    [{ waitedMs: 2 * MINUTE, runsInFlight: 2, budgetPerMinute: 20 }, 12_000, 'two runs: the tenth is slower'],
    [{ waitedMs: 30_000, runsInFlight: 12, budgetPerMinute: 20 }, 48_000, 'month-end: 12 runs, 48 s each'],
    [
      { waitedMs: 10 * MINUTE, runsInFlight: 12, budgetPerMinute: 20 },
      60_000,
      'month-end, old runs: the tenth',
    ],
    [{ waitedMs: 30_000, runsInFlight: 40, budgetPerMinute: 20 }, 60_000, 'never past the maximum'],
    [{ waitedMs: 30_000, runsInFlight: 12, budgetPerMinute: 100 }, 9_600, 'a larger budget: denser'],
    [{ waitedMs: 30_000, runsInFlight: 1, budgetPerMinute: 1 }, 60_000, 'a budget of 1: the slowest pace'],
    [{ waitedMs: 30_000, runsInFlight: 1, budgetPerMinute: 0 }, 60_000, 'no budget: the slowest pace'],
    [{ waitedMs: 30_000, runsInFlight: 0, budgetPerMinute: 20 }, 5_000, 'no count yet: the run itself'],
    [{ waitedMs: -5_000, runsInFlight: 1, budgetPerMinute: 20 }, 5_000, 'a clock step back: the minimum'],
  ];
  for (const [load, expected, why] of cases) {
    it(`${why} (${load.waitedMs} ms waited, ${load.runsInFlight} runs, ${load.budgetPerMinute}/min)`, () => {
      assert.equal(pollInterval(load, bounds), expected);
    });
  }

  it('keeps the minimum when the maximum is set below it', () => {
    assert.equal(
      pollInterval(
        { waitedMs: 60 * MINUTE, runsInFlight: 1, budgetPerMinute: 20 },
        { minMs: 10_000, maxMs: 1_000 },
      ),
      10_000,
    );
  });

  it('alone, notices every export within max(5 s, 10 % of its age) (POST cut at 5 s or held 30 s)', () => {
    for (const holdMs of [5_000, 30_000]) {
      for (let buildMs = holdMs + 1_000; buildMs <= 90 * MINUTE; buildMs += 1_000) {
        const { detectedAt } = pollsFor(buildMs, holdMs);
        const late = detectedAt - buildMs;
        assert.ok(late <= Math.max(5_000, buildMs * 0.1), `build ${buildMs} held ${holdMs}: ${late} ms late`);
      }
    }
  });

  it('alone, costs 19 polls for a 2-minute export and 36 for a 10-minute one (POST cut at 5 s)', () => {
    assert.equal(pollsFor(2 * MINUTE, 5_000).polls, 19);
    assert.equal(pollsFor(10 * MINUTE, 5_000).polls, 36);
    // Beyond the growth phase an hour costs one poll a minute: the maximum decides.
    assert.equal(pollsFor(60 * MINUTE, 5_000).polls, 86);
  });

  it('keeps the polls of all runs in flight within their share of the budget, whatever their ages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * 60 * MINUTE }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 200 }),
        (ages, budget) => {
          const perMinute = ages.reduce((sum, age) => sum + MINUTE / interval(age, ages.length, budget), 0);
          // Unless even one poll a maximum interval per run is more than the share: then that.
          const allowed = Math.max(POLL_SHARE * budget, (ages.length * MINUTE) / bounds.maxMs);
          return perMinute <= allowed + 1e-9;
        },
      ),
    );
  });

  it('beyond what the budget can poll at the maximum, each run polls at the maximum (the limiter queues the rest)', () => {
    // 20 runs at 60 s are 20 polls a minute: more than 15, so the cap is reached, never passed.
    assert.equal(interval(0, 20), 60_000);
    assert.equal(interval(30 * MINUTE, 20), 60_000);
  });

  it('never polls more often with more runs in flight, nor with a smaller budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 60 * MINUTE }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        (waited, runs, budget) =>
          interval(waited, runs + 1, budget) >= interval(waited, runs, budget) &&
          interval(waited, runs, budget) >= interval(waited, runs, budget + 1),
      ),
    );
  });
});

describe('isStalled', () => {
  it('is true from the stall limit on', () => {
    assert.equal(isStalled(59 * MINUTE, 60 * MINUTE), false);
    assert.equal(isStalled(60 * MINUTE, 60 * MINUTE), true);
  });
});

describe('waitingMilestoneDue', () => {
  it('announces at 5, 15 and 30 minutes, then at every doubling (60, 120…)', () => {
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
