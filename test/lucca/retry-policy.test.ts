import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
} from '../../src/lucca/retry-policy.js';

const now = Date.UTC(2026, 11, 1, 9, 0, 0);

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('30', now), 30_000);
  assert.equal(parseRetryAfter(new Date(now + 45_000).toUTCString(), now), 45_000);
  assert.equal(parseRetryAfter(new Date(now - 5000).toUTCString(), now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test("the server's Retry-After wins over backoff, up to the cap", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: 120_000 };
  assert.equal(retryDelayMs(1, policy, 7000), 7000);
  assert.equal(retryDelayMs(1, policy, 3_600_000), 120_000);
});

test('backoff doubles with each attempt, with jitter, and stops growing at maxDelayMs', () => {
  const policy = { attempts: 10, baseDelayMs: 1000, maxDelayMs: 8000, maxRetryAfterMs: 60_000 };
  const low = () => 0;
  const high = () => 1;
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, undefined, low)),
    [500, 1000, 2000, 4000, 4000],
  );
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy, undefined, high)),
    [1000, 2000, 4000, 8000, 8000],
  );
});

test('408, 429 and 5xx are worth another GET; refusals are not', () => {
  assert.deepEqual([408, 429, 500, 502, 503, 504].map(isRetryableStatus), [
    true,
    true,
    true,
    true,
    true,
    true,
  ]);
  assert.deepEqual([400, 401, 403, 404].map(isRetryableStatus), [false, false, false, false]);
});
