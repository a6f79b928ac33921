import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addDays,
  addYears,
  DateInputError,
  firstMondayOfMonth,
  firstMondayOnOrAfterFirst,
  firstOfMonth,
  isPreview,
  isValidIsoDate,
  lastWeekdayOfMonth,
  TimezoneError,
  todayIn,
  weekdayOf,
} from '../../src/calendar/end-date.js';

describe('isValidIsoDate', () => {
  const cases: [string, boolean][] = [
    ['2026-12-01', true],
    ['2026-01-31', true],
    ['2026-04-30', true],
    ['2026-04-31', false],
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2027-02-29', false],
    ['2028-02-29', true],
    ['2000-02-29', true], // divisible by 400
    ['2100-02-29', false], // divisible by 100 only
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-12-00', false],
    ['2026-12-1', false],
    ['26-12-01', false],
    ['2026/12/01', false],
    ['2026-12-01T00:00:00', false],
    [' 2026-12-01', false],
    ['', false],
  ];
  for (const [text, valid] of cases) {
    it(`${JSON.stringify(text)} → ${valid}`, () => assert.equal(isValidIsoDate(text), valid));
  }
});

describe('last-month and monday end dates', () => {
  it('firstOfMonth gives the 1st of the same month, across the year', () => {
    assert.equal(firstOfMonth('2026-12-15'), '2026-12-01');
    assert.equal(firstOfMonth('2027-01-01'), '2027-01-01');
    assert.equal(firstOfMonth('2028-02-29'), '2028-02-01');
  });

  it('firstMondayOnOrAfterFirst is the 1st when the 1st is a Monday', () => {
    assert.equal(firstMondayOnOrAfterFirst('2026-06-20'), '2026-06-01');
    assert.equal(firstMondayOnOrAfterFirst('2027-02-28'), '2027-02-01');
  });

  it('firstMondayOnOrAfterFirst finds the next Monday otherwise, even later than today', () => {
    assert.equal(firstMondayOnOrAfterFirst('2026-12-02'), '2026-12-07'); // 1 Dec 2026 is a Tuesday
    assert.equal(firstMondayOnOrAfterFirst('2027-01-20'), '2027-01-04'); // 1 Jan 2027 is a Friday
    assert.equal(firstMondayOnOrAfterFirst('2026-11-30'), '2026-11-02'); // 1 Nov 2026 is a Sunday
  });

  it('every month from 2026 to 2030 has its first Monday between the 1st and the 7th', () => {
    for (let year = 2026; year <= 2030; year++) {
      for (let month = 1; month <= 12; month++) {
        const monday = firstMondayOfMonth(year, month);
        const day = Number(monday.slice(8));
        assert.equal(new Date(`${monday}T12:00:00Z`).getUTCDay(), 1, monday);
        assert.ok(day >= 1 && day <= 7, monday);
        assert.equal(monday.slice(0, 7), `${year}-${String(month).padStart(2, '0')}`);
      }
    }
  });

  it('the last weekday of February 2028 is Tuesday the 29th', () => {
    assert.equal(lastWeekdayOfMonth(2028, 2), '2028-02-29');
    assert.equal(lastWeekdayOfMonth(2026, 2), '2026-02-27'); // 28 Feb 2026 is a Saturday
    assert.equal(lastWeekdayOfMonth(2026, 5), '2026-05-29'); // 31 May 2026 is a Sunday
  });

  it('refuses a date that is not real instead of rolling it over', () => {
    assert.throws(() => firstOfMonth('2026-02-30'), DateInputError);
    assert.throws(
      () => addDays('nope', 1),
      (error: unknown) => (error as DateInputError).code === 'date-invalid',
    );
  });
});

describe('calendar arithmetic', () => {
  it('addDays crosses months, years and leap days', () => {
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2027-02-28', 1), '2027-03-01');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2027-01-01', -1), '2026-12-31');
  });

  it('addYears clamps 29 February', () => {
    assert.equal(addYears('2028-02-29', 1), '2029-02-28');
    assert.equal(addYears('2026-11-20', 1), '2027-11-20');
  });

  it('weekdayOf knows a few fixed dates', () => {
    assert.equal(weekdayOf('2026-12-01'), 2);
    assert.equal(weekdayOf('2027-01-04'), 1);
    assert.equal(weekdayOf('2028-02-29'), 2);
  });
});

describe('todayIn', () => {
  const lateOn30Nov = Date.UTC(2026, 10, 30, 23, 30); // 23:30 UTC

  it('gives the local date of the zone, not of UTC', () => {
    assert.equal(todayIn('Europe/Paris', lateOn30Nov), '2026-12-01');
    assert.equal(todayIn('Asia/Kolkata', lateOn30Nov), '2026-12-01');
    assert.equal(todayIn('Australia/Sydney', lateOn30Nov), '2026-12-01');
    assert.equal(todayIn('America/New_York', lateOn30Nov), '2026-11-30');
    assert.equal(todayIn('UTC', lateOn30Nov), '2026-11-30');
  });

  it('turns over at local midnight', () => {
    const parisMidnight = Date.UTC(2026, 11, 31, 23, 0); // 1 Jan 2027 00:00 in Paris (UTC+1)
    assert.equal(todayIn('Europe/Paris', parisMidnight - 1), '2026-12-31');
    assert.equal(todayIn('Europe/Paris', parisMidnight), '2027-01-01');
  });

  it('reports a bad zone with the variable to fix', () => {
    assert.throws(
      () => todayIn('Mars/Olympus', 0),
      (error: unknown) => error instanceof TimezoneError && /SCHEDULE_TIMEZONE/.test(error.userMessage),
    );
  });
});

describe('previews of a period that is not over', () => {
  it('an end date after today is a preview; today or before is not', () => {
    assert.equal(isPreview('2027-06-01', '2026-12-02'), true);
    assert.equal(isPreview('2026-12-03', '2026-12-02'), true, 'tomorrow: today is not over');
    assert.equal(isPreview('2026-12-02', '2026-12-02'), false, 'up to today: only days that are over');
    assert.equal(isPreview('2026-12-01', '2026-12-02'), false);
  });
});
