import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  exportEntriesSchema,
  exportHeaderSchema,
  normaliseEndsAt,
  toExportEntries,
  toLuccaExport,
} from '../../src/lucca/schemas.js';

test("Lucca's midnight becomes a date, in every form it may take; other times are unreadable", () => {
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00.000'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00+01:00'), '2026-12-01', 'an offset');
  assert.equal(normaliseEndsAt('2026-12-01T00:00:00Z'), '2026-12-01');
  assert.equal(normaliseEndsAt('2026-11-30T23:59:59'), '2026-12-01', 'an inclusive end, the day before');
  assert.equal(normaliseEndsAt('2026-12-31T23:59:59.999'), '2027-01-01');
  assert.equal(normaliseEndsAt('2026-12-01T12:00:00'), null);
  assert.equal(normaliseEndsAt('2026-02-30T00:00:00'), null);
  assert.equal(normaliseEndsAt('next month'), null);
});

test('export files are read tolerantly: whatever keys the items carry, a link is found', () => {
  const parsed = exportHeaderSchema.parse({
    data: {
      id: 5,
      exportFiles: [
        { id: 'a', fileName: 'paie.csv', href: '/files/a', size: 10 },
        { name: 'b.xlsx', url: 'https://example.ilucca.net/files/b' },
        { Id: 7, Name: 'c.csv', DownloadUrl: '/files/c' },
        { fileId: 8, title: 'd.csv', storage: { x: 1 }, somewhere: 'https://files.example.net/d?sig=1' },
        '/files/e',
        { id: 9, name: 'no link.csv', note: 'not a link' },
        { id: 10, name: 'f.csv', path: 'exports/10/f.csv' },
        {},
        42,
      ],
    },
  });
  assert.deepEqual(
    toLuccaExport(parsed).exportFiles.map(({ id, name, url }) => ({ id, name, url })),
    [
      { id: 'a', name: 'paie.csv', url: '/files/a' },
      { id: null, name: 'b.xlsx', url: 'https://example.ilucca.net/files/b' },
      { id: 7, name: 'c.csv', url: '/files/c' },
      { id: 8, name: 'd.csv', url: 'https://files.example.net/d?sig=1' },
      { id: null, name: null, url: '/files/e' },
      { id: 9, name: 'no link.csv', url: null },
      { id: 10, name: 'f.csv', url: 'exports/10/f.csv' },
      { id: null, name: null, url: null },
      { id: null, name: null, url: null },
    ],
  );
});

test('an export without an id is not an export', () => {
  assert.equal(exportHeaderSchema.safeParse({ data: { name: 'x' } }).success, false);
  assert.equal(exportHeaderSchema.safeParse({ items: [] }).success, false);
});

test('an entry in no readable form is a bad answer naming its position, not its values', () => {
  const parsed = exportEntriesSchema.parse({
    data: { entries: [{ amount: 1 }, { amount: { secret: 'Müller' } }] },
  });
  assert.throws(
    () => toExportEntries(parsed),
    (error: Error) => /entries\.1/.test(error.message) && !/Müller/.test(error.message),
  );
});

test('numeric amount units and pay treatments are kept as text', () => {
  const parsed = exportEntriesSchema.parse({
    data: { id: 1, entries: [{ amount: 1, amountUnit: 0, timeType: { payTreatment: 2 } }] },
  });
  const [entry] = toExportEntries(parsed);
  assert.equal(entry?.amountUnit, '0');
  assert.equal(entry?.timeType?.payTreatment, '2');
});
