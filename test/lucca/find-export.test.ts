import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOurExport } from '../../src/lucca/find-export.js';

const ref = (id: number, endsAt: string) => ({ id, createdAt: null, endsAt });

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
