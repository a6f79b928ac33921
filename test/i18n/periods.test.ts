import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describePeriod,
  humanDate,
  monthName,
  periodLabel,
  periodName,
  previewNote,
} from '../../src/i18n/periods.js';

describe('describePeriod', () => {
  it('names the month an export up to a 1st covers', () => {
    assert.equal(describePeriod('2026-12-01', 'en'), 'everything before Tue 1 Dec 2026 (November 2026)');
    assert.equal(describePeriod('2027-01-01', 'en'), 'everything before Fri 1 Jan 2027 (December 2026)');
    assert.equal(periodLabel('2026-12-01', 'en'), 'November 2026');
    assert.equal(periodLabel('2026-12-02', 'en'), undefined);
  });

  it('says which extra days a Monday end adds to the month', () => {
    assert.equal(
      describePeriod('2027-01-04', 'en'),
      'everything before Mon 4 Jan 2027 (December 2026 and 1–3 Jan 2027)',
    );
    assert.equal(
      describePeriod('2026-11-02', 'en'),
      'everything before Mon 2 Nov 2026 (October 2026 and 1 Nov 2026)',
    );
  });

  it('keeps other dates plain', () => {
    assert.equal(describePeriod('2026-07-15', 'en'), 'everything before Wed 15 Jul 2026');
    assert.equal(humanDate('2028-02-29', 'en'), 'Tue 29 Feb 2028');
  });

  it('in French: the date written out, the month in lower case, 1er for the first', () => {
    assert.equal(
      describePeriod('2026-12-01', 'fr'),
      'tout ce qui précède le mardi 1 décembre 2026 (novembre 2026)',
    );
    assert.equal(
      describePeriod('2027-01-04', 'fr'),
      'tout ce qui précède le lundi 4 janvier 2027 (décembre 2026 et du 1er au 3 janvier 2027)',
    );
    assert.equal(
      describePeriod('2026-11-02', 'fr'),
      'tout ce qui précède le lundi 2 novembre 2026 (octobre 2026 et 1er novembre 2026)',
    );
    assert.equal(describePeriod('2026-07-15', 'fr'), 'tout ce qui précède le mercredi 15 juillet 2026');
  });
});

describe('dates and months', () => {
  it('English keeps its three-letter months (Sep, not en-GB "Sept")', () => {
    assert.equal(humanDate('2026-09-01', 'en'), 'Tue 1 Sep 2026');
    assert.equal(monthName(9, 'en'), 'September');
  });

  it('French writes the day and month out', () => {
    assert.equal(humanDate('2026-12-01', 'fr'), 'mardi 1 décembre 2026');
    assert.equal(monthName(8, 'fr'), 'août');
    assert.equal(periodName('2026-12-01', 'fr'), 'novembre 2026');
    assert.equal(periodName('2026-12-07', 'fr'), "jusqu'au lundi 7 décembre 2026");
    assert.equal(periodName('2026-12-07', 'en'), 'up to Mon 7 Dec 2026');
  });

  it('refuses a month that does not exist', () => {
    assert.throws(() => monthName(13, 'fr'), { code: 'date-invalid' });
  });
});

describe('previewNote', () => {
  it('says up to which day the period runs, what today is, and that entries may still change', () => {
    assert.equal(
      previewNote('2027-06-01', '2026-12-02', 'en'),
      'Preview of a period that is not over: it runs until Mon 31 May 2027 and today is Wed 2 Dec 2026, so entries may still change. Export again once it is over for the final figures.',
    );
    assert.equal(previewNote('2026-12-01', '2026-12-02', 'en'), undefined);
  });

  it('in French, with vouvoiement', () => {
    assert.equal(
      previewNote('2027-06-01', '2026-12-02', 'fr'),
      "Aperçu d'une période qui n'est pas terminée : elle court jusqu'au lundi 31 mai 2027 et nous sommes le mercredi 2 décembre 2026, les saisies peuvent donc encore changer. Relancez l'export une fois la période terminée pour avoir les chiffres définitifs.",
    );
  });
});
