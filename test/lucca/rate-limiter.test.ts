import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../fakes/manual-clock.js';
import { RateLimiter } from '../../src/lucca/rate-limiter.js';

/** Starts `count` acquisitions and reports which have been granted so far. */
function acquireMany(limiter: RateLimiter, count: number, signal?: AbortSignal) {
  const granted: number[] = [];
  const all = Array.from({ length: count }, (_, i) => limiter.acquire(signal).then(() => granted.push(i)));
  return { granted, all: Promise.all(all) };
}

test('grants N requests at once, then one more each time the oldest leaves the 60 s window', async () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter({ limit: 3, clock });
  await limiter.acquire();
  await clock.advance(20_000);
  const { granted, all } = acquireMany(limiter, 4);
  await clock.advance(0);
  assert.deepEqual(granted, [0, 1], 'two more fit in the window');

  await clock.advance(39_999);
  assert.deepEqual(granted, [0, 1]);
  await clock.advance(1);
  assert.deepEqual(granted, [0, 1, 2], 'the first request left the window at 60 s');

  await clock.advance(20_000);
  await all;
  assert.deepEqual(granted, [0, 1, 2, 3]);
  assert.equal(limiter.used, 2);
});

test('serves waiters in arrival order', async () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter({ limit: 1, clock });
  const { granted, all } = acquireMany(limiter, 3);
  await clock.advance(120_000);
  await all;
  assert.deepEqual(granted, [0, 1, 2]);
});

test('an aborted waiter leaves at once without using a slot', async () => {
  const clock = new ManualClock();
  const limiter = new RateLimiter({ limit: 1, clock });
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  await clock.advance(0);
  controller.abort();
  await waiting;
  assert.equal(limiter.used, 1);
});

test('a limit below 1 is refused', () => {
  assert.throws(() => new RateLimiter({ limit: 0 }), RangeError);
});
