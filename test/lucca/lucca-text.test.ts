import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sanitizeLuccaText } from '../../src/lucca/lucca-text.js';

describe('sanitizeLuccaText', () => {
  test('a newline cannot start a new line: line breaks of every kind collapse to one space', () => {
    for (const br of ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f']) {
      assert.equal(sanitizeLuccaText(`Heures${br}✅ Delivered`), 'Heures ✅ Delivered', JSON.stringify(br));
    }
  });

  test('other control characters (C0, DEL, C1) become a space; runs collapse', () => {
    assert.equal(sanitizeLuccaText('a\u0000\u0007b\u007f\u009bc\t\td'), 'a b c d');
  });

  test('bidi overrides, embeddings, isolates and marks are removed, so the name reads as stored', () => {
    assert.equal(sanitizeLuccaText('salaires\u202Evsc.exe'), 'salairesvsc.exe');
    for (const mark of ['\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069'])
      assert.equal(sanitizeLuccaText(`a${mark}b`), 'ab', mark.codePointAt(0)!.toString(16));
    for (const mark of ['\u200E', '\u200F', '\u061C']) assert.equal(sanitizeLuccaText(`a${mark}b`), 'ab');
  });

  test('zero-width and invisible characters are removed', () => {
    for (const mark of ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD'])
      assert.equal(sanitizeLuccaText(`pay${mark}roll`), 'payroll', mark.codePointAt(0)!.toString(16));
  });

  test('ordinary text, accents, emoji and inner spacing are kept', () => {
    for (const text of ['Heures supplémentaires 25 %', 'Núñez José', "O'Brien", 'Astreinte 🌙', 'a  b'])
      assert.equal(sanitizeLuccaText(text), text.replace(/ {2,}/g, ' '));
  });
});
