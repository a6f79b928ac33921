import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportBaseName, luccaFileName, renderedCsvName } from '../../src/exports/delivered-file-name.js';

const payroll = { configurationId: 3, configurationLabel: 'payroll', endsAt: '2026-12-01' };

describe('delivered file names', () => {
  it('name the configuration and the month an export up to a 1st holds', () => {
    assert.equal(exportBaseName(payroll), 'payroll-2026-11');
    assert.equal(
      exportBaseName({ ...payroll, endsAt: '2027-01-01' }),
      'payroll-2026-12',
      'across a year end',
    );
    assert.equal(renderedCsvName(payroll), 'payroll-2026-11.csv');
  });

  it('name the last day held when the export ends on another day', () => {
    assert.equal(exportBaseName({ ...payroll, endsAt: '2026-12-07' }), 'payroll-until-2026-12-06');
    assert.equal(exportBaseName({ ...payroll, endsAt: '2028-03-02' }), 'payroll-until-2028-03-01');
  });

  it('use the configuration number when there is no alias', () => {
    assert.equal(renderedCsvName({ ...payroll, configurationLabel: null }), 'configuration-3-2026-11.csv');
    assert.equal(exportBaseName({ ...payroll, configurationLabel: '../' }), 'configuration-3-2026-11');
  });

  it("keep Lucca's name recognisable after ours, extension included", () => {
    assert.equal(luccaFileName(payroll, 'Paie Lyon.xlsx', 0), 'payroll-2026-11_Paie Lyon.xlsx');
    assert.equal(luccaFileName(payroll, 'export-290-1.csv', 0), 'payroll-2026-11_export-290-1.csv');
  });

  it("do not repeat ours when Lucca's name already starts with it", () => {
    assert.equal(luccaFileName(payroll, 'Payroll-2026-11.csv', 0), 'Payroll-2026-11.csv');
  });

  it("sanitise Lucca's name: no folder part, no control characters", () => {
    assert.equal(luccaFileName(payroll, '../../etc/passwd', 0), 'payroll-2026-11_passwd');
    assert.equal(luccaFileName(payroll, 'pa\u0000ie.csv', 0), 'payroll-2026-11_paie.csv');
  });

  it('fall back to ours, numbered from the second file, when Lucca gives no usable name', () => {
    assert.equal(luccaFileName(payroll, null, 0), 'payroll-2026-11');
    assert.equal(luccaFileName(payroll, '  ', 1), 'payroll-2026-11-2');
    assert.equal(luccaFileName(payroll, '..', 2), 'payroll-2026-11-3');
  });

  it('stay within the length limit, keeping the extension', () => {
    const name = luccaFileName(payroll, `${'a'.repeat(300)}.xlsx`, 0);
    assert.equal(name.length, 120);
    assert.ok(name.startsWith('payroll-2026-11_aaa'));
    assert.ok(name.endsWith('.xlsx'));
  });
});
