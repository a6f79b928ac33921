import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeExport } from '../../src/exports/summary.js';
import type { LuccaExport } from '../../src/lucca/types.js';
import { entry } from './fake-lucca.js';

function exportWith(entries: LuccaExport['entries']): LuccaExport {
  return {
    id: 9,
    name: 'Paie décembre',
    createdAt: null,
    configurationId: 3,
    startsAt: null,
    endsAt: null,
    exportFiles: [],
    entries,
  };
}

describe('summarizeExport', () => {
  it('counts people once each and every entry', () => {
    const summary = summarizeExport(
      exportWith([
        entry({ owner: { id: 1, lastName: 'A', firstName: 'a' } }),
        entry({ owner: { id: 1, lastName: 'A', firstName: 'a' } }),
        entry({ owner: { id: 2, lastName: 'B', firstName: 'b' } }),
      ]),
    );
    assert.equal(summary.people, 2);
    assert.equal(summary.entries, 3);
    assert.equal(summary.exportId, 9);
    assert.equal(summary.exportName, 'Paie décembre');
  });

  it('totals amounts by time type and unit, largest first', () => {
    const normal = { id: 1, name: 'Heures normales', payTreatment: null };
    const extra = { id: 2, name: 'Heures sup', payTreatment: null };
    const summary = summarizeExport(
      exportWith([
        entry({ timeType: normal, amount: 7.5, amountUnit: 'hours' }),
        entry({ timeType: normal, amount: 7.25, amountUnit: 'hours' }),
        entry({ timeType: extra, amount: 2, amountUnit: 'hours' }),
        entry({ timeType: normal, amount: 1, amountUnit: 'days' }),
        entry({ timeType: normal, amount: null, amountUnit: 'hours' }),
      ]),
    );
    assert.deepEqual(summary.totals, [
      { timeType: 'Heures normales', unit: 'hours', amount: 14.75 },
      { timeType: 'Heures sup', unit: 'hours', amount: 2 },
      { timeType: 'Heures normales', unit: 'days', amount: 1 },
    ]);
  });

  it('tells people apart by name when Lucca gives no id', () => {
    const summary = summarizeExport(
      exportWith([
        entry({ owner: { id: null, lastName: 'Martin', firstName: 'Léa' } }),
        entry({ owner: { id: null, lastName: 'Martin', firstName: 'Paul' } }),
      ]),
    );
    assert.equal(summary.people, 2);
  });
});
