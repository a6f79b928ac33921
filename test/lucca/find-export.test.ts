import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOurExport } from '../../src/lucca/find-export.js';

const ref = (id: number, endsAt: string | null, createdAt: string | null = null) => ({
  id,
  createdAt,
  endsAt,
});

test('only an export with our end date counts', () => {
  assert.equal(findOurExport([ref(11, '2026-11-30'), null], 10, '2026-12-01'), null);
  assert.equal(findOurExport([ref(11, '2026-11-30'), ref(12, '2026-12-01')], 10, '2026-12-01')?.id, 12);
});

test('of several matching exports, the lowest id (the one our POST created) wins', () => {
  assert.equal(findOurExport([ref(14, '2026-12-01'), ref(12, '2026-12-01')], 10, '2026-12-01')?.id, 12);
});

test('an export at or below the baseline never counts', () => {
  assert.equal(findOurExport([ref(10, '2026-12-01'), ref(3, '2026-12-01')], 10, '2026-12-01'), null);
});

test('an export whose end date cannot be read is matched on id and time, only when none matches by date', () => {
  const posted = Date.parse('2026-12-01T09:00:00Z');
  const found = findOurExport([ref(12, null), ref(11, null)], 10, '2026-12-01', posted);
  assert.deepEqual([found?.id, found?.matchedBy], [11, 'id-and-time']);
  const both = findOurExport([ref(11, null), ref(12, '2026-12-01')], 10, '2026-12-01', posted);
  assert.deepEqual([both?.id, both?.matchedBy], [12, 'endsAt']);
  assert.equal(findOurExport([ref(11, null), ref(12, '2026-11-01')], 9, '2026-12-01', posted)?.id, 11);
});

test('without an end date, an export stamped (with an offset) well before our POST is not ours', () => {
  const posted = Date.parse('2026-12-01T09:00:00Z');
  assert.equal(findOurExport([ref(11, null, '2026-12-01T07:00:00Z')], 10, '2026-12-01', posted), null);
  assert.equal(findOurExport([ref(11, null, '2026-12-01T09:58:00+01:00')], 10, '2026-12-01', posted)?.id, 11);
  // A floating time (FACTS.md: Timesheet date-times are floating) cannot be compared: id decides.
  assert.equal(findOurExport([ref(11, null, '2026-12-01T07:00:00')], 10, '2026-12-01', posted)?.id, 11);
});
