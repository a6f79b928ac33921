import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeFileName, uniqueFileName } from '../../src/exports/file-names.js';

describe('sanitizeFileName', () => {
  it('keeps an ordinary name, accents and extension included', () => {
    assert.equal(sanitizeFileName('Paie décembre 2026.xlsx', 'x'), 'Paie décembre 2026.xlsx');
  });

  it('drops folder parts and traversal', () => {
    assert.equal(sanitizeFileName('../../etc/passwd', 'x'), 'passwd');
    assert.equal(sanitizeFileName('..\\..\\windows\\win.ini', 'x'), 'win.ini');
    assert.equal(sanitizeFileName('..', 'fallback.csv'), 'fallback.csv');
    assert.equal(sanitizeFileName('/', 'fallback.csv'), 'fallback.csv');
  });

  it('removes control characters and replaces reserved ones', () => {
    assert.equal(sanitizeFileName('pay\u0000roll\r\n.csv', 'x'), 'payroll.csv');
    assert.equal(sanitizeFileName('a<b>c:d"e|f?g*h.csv', 'x'), 'a_b_c_d_e_f_g_h.csv');
  });

  it('does not produce hidden files or Windows device names', () => {
    assert.equal(sanitizeFileName('.bashrc', 'x'), 'bashrc');
    assert.equal(sanitizeFileName('CON.csv', 'x'), '_CON.csv');
    assert.equal(sanitizeFileName('report. ', 'x'), 'report');
  });

  it('shortens long names but keeps the extension', () => {
    const name = sanitizeFileName(`${'a'.repeat(300)}.xlsx`, 'x');
    assert.equal(name.length, 120);
    assert.ok(name.endsWith('.xlsx'));
  });

  it('falls back when nothing usable is left', () => {
    assert.equal(sanitizeFileName(null, 'export-9-1'), 'export-9-1');
    assert.equal(sanitizeFileName('  ', 'export-9-1'), 'export-9-1');
  });
});

describe('uniqueFileName', () => {
  it('numbers repeated names, ignoring case', () => {
    const taken = new Set<string>();
    assert.equal(uniqueFileName('export.csv', taken), 'export.csv');
    assert.equal(uniqueFileName('Export.csv', taken), 'Export (2).csv');
    assert.equal(uniqueFileName('export.csv', taken), 'export (3).csv');
    assert.equal(uniqueFileName('README', taken), 'README');
    assert.equal(uniqueFileName('README', taken), 'README (2)');
  });
});
