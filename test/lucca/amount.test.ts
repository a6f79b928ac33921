import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLuccaAmount } from '../../src/lucca/amount.js';

test('numbers are kept as they are', () => {
  assert.equal(parseLuccaAmount(7.5), 7.5);
  assert.equal(parseLuccaAmount(0), 0);
  assert.equal(parseLuccaAmount('3.25'), 3.25);
});

test('Lucca timespans become hours', () => {
  assert.equal(parseLuccaAmount('1.02:30:00'), 26.5);
  assert.equal(parseLuccaAmount('0.07:30:00'), 7.5);
  assert.equal(parseLuccaAmount('07:30:00'), 7.5);
  assert.equal(parseLuccaAmount('00:45:36'), 0.76);
  assert.equal(parseLuccaAmount('07:20:00'), 7.333333);
  assert.equal(parseLuccaAmount('00:00:01.5000000'), 0.000417);
});

test('negative timespans (corrections) stay negative', () => {
  assert.equal(parseLuccaAmount('-0.01:15:00'), -1.25);
  assert.equal(parseLuccaAmount('-02:00:00'), -2);
});

test('missing or unreadable amounts are null', () => {
  assert.equal(parseLuccaAmount(null), null);
  assert.equal(parseLuccaAmount(undefined), null);
  assert.equal(parseLuccaAmount('n/a'), null);
  assert.equal(parseLuccaAmount('7:3'), null);
  assert.equal(parseLuccaAmount(Number.NaN), null);
});
