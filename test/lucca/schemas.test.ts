import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportDetailSchema, normaliseEndsAt, toLuccaExport } from '../../src/lucca/schemas.js';

test("Lucca's floating midnight becomes a date; other times are kept", () => {
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00.000'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01T12:00:00'), '2026-12-01T12:00:00');
});

test('export files are read tolerantly: other names for name and url are accepted', () => {
  const parsed = exportDetailSchema.parse({
    data: {
      id: 5,
      exportFiles: [
        { id: 'a', fileName: 'paie.csv', href: '/files/a', size: 10 },
        { name: 'b.xlsx', url: 'https://example.ilucca.net/files/b' },
        {},
      ],
    },
  });
  assert.deepEqual(toLuccaExport(parsed).exportFiles, [
    { id: 'a', name: 'paie.csv', url: '/files/a' },
    { id: null, name: 'b.xlsx', url: 'https://example.ilucca.net/files/b' },
    { id: null, name: null, url: null },
  ]);
});

test('an export without an id is not an export', () => {
  assert.equal(exportDetailSchema.safeParse({ data: { name: 'x' } }).success, false);
  assert.equal(exportDetailSchema.safeParse({ items: [] }).success, false);
});

test('numeric amount units and pay treatments are kept as text', () => {
  const parsed = exportDetailSchema.parse({
    data: { id: 1, entries: [{ amount: 1, amountUnit: 0, timeType: { payTreatment: 2 } }] },
  });
  const [entry] = toLuccaExport(parsed).entries;
  assert.equal(entry?.amountUnit, '0');
  assert.equal(entry?.timeType?.payTreatment, '2');
});
