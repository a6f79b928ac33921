import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeExport } from '../../src/exports/summary.js';
import type { ExportEntry, LuccaExport } from '../../src/lucca/types.js';
import { entry } from './fake-lucca.js';

const summarize = (entries: ExportEntry[]) => summarizeExport(header(), entries);

function header(): LuccaExport {
  return {
    id: 9,
    name: 'Paie décembre',
    createdAt: null,
    configurationId: 3,
    startsAt: null,
    endsAt: null,
    exportFiles: [],
  };
}

describe('summarizeExport', () => {
  it('counts people once each and every entry', () => {
    const summary = summarize([
      entry({ owner: { id: 1, lastName: 'A', firstName: 'a' } }),
      entry({ owner: { id: 1, lastName: 'A', firstName: 'a' } }),
      entry({ owner: { id: 2, lastName: 'B', firstName: 'b' } }),
    ]);
    assert.equal(summary.people, 2);
    assert.equal(summary.entries, 3);
    assert.equal(summary.exportId, 9);
    assert.equal(summary.exportName, 'Paie décembre');
  });

  it('totals amounts by time type and unit, largest first', () => {
    const normal = { id: 1, name: 'Heures normales', payTreatment: null };
    const extra = { id: 2, name: 'Heures sup', payTreatment: null };
    const summary = summarize([
      entry({ timeType: normal, amount: 7.5, amountUnit: 'hours' }),
      entry({ timeType: normal, amount: 7.25, amountUnit: 'hours' }),
      entry({ timeType: extra, amount: 2, amountUnit: 'hours' }),
      entry({ timeType: normal, amount: 1, amountUnit: 'days' }),
      entry({ timeType: normal, amount: null, amountUnit: 'hours' }),
    ]);
    assert.deepEqual(summary.totals, [
      { timeType: 'Heures normales', unit: 'hours', amount: 14.75 },
      { timeType: 'Heures sup', unit: 'hours', amount: 2 },
      { timeType: 'Heures normales', unit: 'days', amount: 1 },
    ]);
  });

  it('tells people apart by name when Lucca gives no id', () => {
    const summary = summarize([
      entry({ owner: { id: null, lastName: 'Martin', firstName: 'Léa' } }),
      entry({ owner: { id: null, lastName: 'Martin', firstName: 'Paul' } }),
    ]);
    assert.equal(summary.people, 2);
  });

  it("adds hours sent as timespans to hours sent as numbers: one line in words, not Lucca's units", () => {
    const overtime = { id: 2, name: 'Heures supplémentaires 50%', payTreatment: null };
    // What a thread showed before: "26.5 Duration" and "7.5 Hours" as two lines.
    const summary = summarize([
      entry({ timeType: overtime, amount: 26.5, rawAmount: '1.02:30:00', amountUnit: 'Duration' }),
      entry({ timeType: overtime, amount: 7.5, rawAmount: '7.5', amountUnit: 'Hours' }),
      entry({ timeType: overtime, amount: 0, rawAmount: '00:00:00', amountUnit: null }),
      entry({ timeType: overtime, amount: 2, rawAmount: '2', amountUnit: 'Hour' }),
    ]);
    assert.deepEqual(summary.totals, [{ timeType: 'Heures supplémentaires 50%', unit: 'hours', amount: 36 }]);
  });

  it('says days in words and shows a unit it does not know as Lucca sent it', () => {
    const normal = { id: 1, name: 'Congés', payTreatment: null };
    const summary = summarize([
      entry({ timeType: normal, amount: 1, rawAmount: '1', amountUnit: 'Day' }),
      entry({ timeType: normal, amount: 2, rawAmount: '2', amountUnit: 'Days' }),
      entry({ timeType: normal, amount: 3, rawAmount: '3', amountUnit: '2' }),
    ]);
    assert.deepEqual(summary.totals, [
      { timeType: 'Congés', unit: 'days', amount: 3 },
      { timeType: 'Congés', unit: 'unit 2', amount: 3 },
    ]);
  });
});
