import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CSV_COLUMNS, renderEntriesCsv, writeEntriesCsv } from '../../src/exports/csv.js';
import { entry } from './fake-lucca.js';

/** Minimal RFC 4180 reader for `;`-separated text, to check the writer round-trips. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('renderEntriesCsv', () => {
  it('starts with a UTF-8 BOM so that Excel keeps accents', () => {
    const csv = renderEntriesCsv([entry()]);
    assert.ok(csv.startsWith('\uFEFF'));
    const bytes = Buffer.from(csv, 'utf8');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(csv.includes('Lefèvre;Éloïse'));
  });

  it('ends every line with CRLF and has one row per entry after the header', () => {
    const csv = renderEntriesCsv([entry({ id: 1 }), entry({ id: 2 }), entry({ id: 3 })]);
    assert.ok(csv.endsWith('\r\n'));
    assert.equal(csv.split('\r\n').length - 1, 4);
    assert.equal(csv.replace(/\r\n/g, '').includes('\n'), false);
  });

  it('quotes cells holding the delimiter, commas, quotes or line breaks, and round-trips them', () => {
    const tricky = entry({
      owner: { id: 7, lastName: 'Dupont; "Jr"', firstName: 'Anne,\nMarie' },
      externalCode: 'A"B',
    });
    const rows = parse(renderEntriesCsv([tricky]).slice(1));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows[1]![0], 'Dupont; "Jr"');
    assert.equal(rows[1]![1], 'Anne,\nMarie');
    assert.equal(rows[1]![9], 'A"B');
  });

  it('writes amounts with a decimal comma, keeps the raw amount, and lists axis sections', () => {
    const rows = parse(
      renderEntriesCsv([
        entry({
          amount: 31.5,
          rawAmount: '1.07:30:00',
          axisSections: [
            { id: 1, name: 'Paris', code: 'PAR' },
            { id: 2, name: 'R&D', code: null },
          ],
        }),
      ]).slice(1),
    );
    const row = rows[1]!;
    assert.equal(row[5], '31,5');
    assert.equal(row[7], '1.07:30:00');
    assert.equal(row[10], 'Paris (PAR) | R&D');
  });

  it('neutralises cells Excel would run as formulas', () => {
    const rows = parse(
      renderEntriesCsv([entry({ owner: { id: 1, lastName: '=HYPERLINK("x")', firstName: 'A' } })]).slice(1),
    );
    assert.equal(rows[1]![0], `'=HYPERLINK("x")`);
  });

  it('gives the unit in words, hours for a timespan whatever Lucca calls it', () => {
    const rows = parse(
      renderEntriesCsv([
        entry({ amount: 26.5, rawAmount: '1.02:30:00', amountUnit: 'Duration' }),
        entry({ amount: 7.5, rawAmount: '7.5', amountUnit: 'Hour' }),
        entry({ amount: 1, rawAmount: '1', amountUnit: 'Days' }),
      ]).slice(1),
    );
    assert.deepEqual(
      rows.slice(1).map((row) => [row[5], row[6], row[7]]),
      [
        ['26,5', 'hours', '1.02:30:00'],
        ['7,5', 'hours', '7.5'],
        ['1', 'days', '1'],
      ],
    );
  });

  it('leaves empty cells for missing values', () => {
    const rows = parse(
      renderEntriesCsv([
        entry({ owner: null, timeType: null, amount: null, rawAmount: null, externalCode: null }),
      ]).slice(1),
    );
    assert.deepEqual(rows[1]!.slice(0, 8), ['', '', '', '', '', '', 'hours', '']);
  });

  it('in French: headers in French, decimal comma, units in French agreeing with the amount', () => {
    const rows = parse(
      renderEntriesCsv(
        [
          entry({ amount: 1318.5, rawAmount: '1318.5', amountUnit: 'Hour' }),
          entry({ amount: 1, rawAmount: '1', amountUnit: 'Days' }),
          entry({ amount: 2, rawAmount: '2', amountUnit: '3' }),
        ],
        { language: 'fr' },
      ).slice(1),
    );
    assert.deepEqual(rows[0], [
      'Nom',
      'Prénom',
      'Matricule',
      'Type de temps',
      'Traitement en paie',
      'Quantité',
      'Unité',
      'Quantité brute',
      'Date de fin',
      'Code externe',
      'Sections analytiques',
    ]);
    assert.deepEqual(
      rows.slice(1).map((row) => [row[5], row[6]]),
      [
        // No thousands separator in a cell: Excel must read it as a number.
        ['1318,5', 'heures'],
        ['1', 'jour'],
        ['2', 'unité 3'],
      ],
    );
  });

  it('writes the header alone when there are no entries', () => {
    assert.equal(parse(renderEntriesCsv([]).slice(1)).length, 1);
  });
});

describe('writeEntriesCsv', () => {
  it('streams to disk exactly the bytes renderEntriesCsv gives, across chunk boundaries, owner-only', async (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'csv-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const entries = Array.from({ length: 1_234 }, (_, i) =>
      entry({ id: i, owner: { id: i, lastName: i % 2 ? 'Lefèvre' : 'Dupont; "Jr"', firstName: 'Éloïse' } }),
    );
    const file = path.join(dir, 'export.csv');
    const bytes = await writeEntriesCsv(entries, file);
    const expected = Buffer.from(renderEntriesCsv(entries), 'utf8');
    assert.deepEqual(readFileSync(file), expected);
    assert.equal(bytes, expected.byteLength);
    assert.equal(parse(readFileSync(file, 'utf8').slice(1)).length, 1_235);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });
});
