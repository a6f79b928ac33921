import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  localToUtc,
  nextOccurrence,
  type Occurrence,
  occurrenceInMonth,
  occurrencesBetween,
  parseTimeOfDay,
  SCHEDULE_RULES,
  ScheduleInputError,
} from '../../src/schedule/rules.js';

const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'] as const;
const YEARS = [2026, 2027, 2028, 2029, 2030];
const TIMES = ['00:00', '02:30', '08:00', '23:59'];

/** Oracle independent of the code under test: the wall clock of an instant, read with another locale. */
function wallAt(ms: number, timezone: string): { date: string; time: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    time: `${parts['hour']}:${parts['minute']}`,
    weekday: parts['weekday']!,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const nextFirst = (year: number, month: number) =>
  month === 12 ? `${year + 1}-01-01` : `${year}-${pad(month + 1)}-01`;

/** Local times that do not exist (spring forward) on the 1st of a month at 02:30 in these years. */
const GAPS = new Set(['Australia/Sydney 2028-10-01 02:30']);

describe('parseTimeOfDay', () => {
  const cases: [string, string | undefined][] = [
    ['7', '07:00'],
    ['07', '07:00'],
    ['0', '00:00'],
    ['23', '23:00'],
    ['7:30', '07:30'],
    ['07:30', '07:30'],
    ['23:59', '23:59'],
    [' 08:00 ', '08:00'],
    ['24', undefined],
    ['25:00', undefined],
    ['24:00', undefined],
    ['12:60', undefined],
    ['7:5', undefined],
    ['19h30', undefined],
    ['7am', undefined],
    ['-1', undefined],
    ['', undefined],
    ['123', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`${JSON.stringify(text)} → ${expected}`, () => assert.equal(parseTimeOfDay(text), expected));
  }
});

describe('localToUtc', () => {
  it('applies winter and summer offsets', () => {
    assert.equal(localToUtc('2027-01-01', '08:00', 'Europe/Paris'), Date.UTC(2027, 0, 1, 7, 0));
    assert.equal(localToUtc('2027-07-01', '08:00', 'Europe/Paris'), Date.UTC(2027, 6, 1, 6, 0));
    assert.equal(localToUtc('2027-01-01', '08:00', 'America/New_York'), Date.UTC(2027, 0, 1, 13, 0));
    assert.equal(localToUtc('2027-01-01', '08:00', 'Australia/Sydney'), Date.UTC(2026, 11, 31, 21, 0));
    assert.equal(localToUtc('2027-07-01', '08:00', 'Australia/Sydney'), Date.UTC(2027, 5, 30, 22, 0));
  });

  it('handles a half-hour zone without DST', () => {
    assert.equal(localToUtc('2027-01-01', '08:00', 'Asia/Kolkata'), Date.UTC(2027, 0, 1, 2, 30));
    assert.equal(localToUtc('2027-07-01', '00:00', 'Asia/Kolkata'), Date.UTC(2027, 5, 30, 18, 30));
  });

  it('moves a time skipped by spring-forward to the first valid instant (03:00)', () => {
    // 28 Mar 2027, Paris: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 never happens.
    const paris = localToUtc('2027-03-28', '02:30', 'Europe/Paris');
    assert.equal(paris, Date.UTC(2027, 2, 28, 1, 0));
    assert.deepEqual(wallAt(paris, 'Europe/Paris'), { date: '2027-03-28', time: '03:00', weekday: 'Sun' });
    // 14 Mar 2027, New York: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
    assert.equal(localToUtc('2027-03-14', '02:30', 'America/New_York'), Date.UTC(2027, 2, 14, 7, 0));
    // 3 Oct 2027, Sydney (southern spring): 02:00 AEST jumps to 03:00 AEDT (16:00 UTC the day before).
    assert.equal(localToUtc('2027-10-03', '02:30', 'Australia/Sydney'), Date.UTC(2027, 9, 2, 16, 0));
  });

  it('takes the earlier of two instants when fall-back repeats a time', () => {
    // 25 Oct 2026, Paris: 03:00 CEST falls back to 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
    assert.equal(localToUtc('2026-10-25', '02:30', 'Europe/Paris'), Date.UTC(2026, 9, 25, 0, 30));
    // 1 Nov 2026, New York: 01:30 happens in EDT (05:30 UTC) and then EST (06:30 UTC).
    assert.equal(localToUtc('2026-11-01', '01:30', 'America/New_York'), Date.UTC(2026, 10, 1, 5, 30));
    // 4 Apr 2027, Sydney: 02:30 happens in AEDT (15:30 UTC the day before) and AEST.
    assert.equal(localToUtc('2027-04-04', '02:30', 'Australia/Sydney'), Date.UTC(2027, 3, 3, 15, 30));
  });

  it('round-trips every quarter hour of each transition day', () => {
    const days: [string, string][] = [
      ['2026-03-29', 'Europe/Paris'],
      ['2026-10-25', 'Europe/Paris'],
      ['2027-03-14', 'America/New_York'],
      ['2027-11-07', 'America/New_York'],
      ['2027-04-04', 'Australia/Sydney'],
      ['2027-10-03', 'Australia/Sydney'],
    ];
    for (const [date, zone] of days) {
      let skipped = 0;
      let previous = -Infinity;
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
        const instant = localToUtc(date, time, zone);
        const wall = wallAt(instant, zone);
        if (wall.time !== time) {
          skipped++;
          assert.equal(wall.time, '03:00', `${zone} ${date} ${time}`);
        }
        assert.equal(wall.date, date);
        assert.ok(instant >= previous, `${zone} ${date} ${time} goes back in time`);
        previous = instant;
      }
      // Spring-forward days skip one hour (four quarter hours); fall-back days skip none.
      assert.ok(skipped === 0 || skipped === 4, `${zone} ${date}: ${skipped}`);
    }
  });

  it('refuses malformed input with a typed error', () => {
    assert.throws(() => localToUtc('2027-02-29', '08:00', 'Europe/Paris'), ScheduleInputError);
    assert.throws(() => localToUtc('2027-02-01', '24:00', 'Europe/Paris'), ScheduleInputError);
    assert.throws(
      () => localToUtc('2027-02-01', '08:00', 'Nowhere/Land'),
      (error: unknown) => (error as { code?: string }).code === 'timezone-invalid',
    );
  });
});

describe('occurrenceInMonth, exhaustively over 2026–2030 in four zones', () => {
  for (const zone of ZONES) {
    it(`${zone}: every rule, month and time of day lands on the right local date and time`, () => {
      let gaps = 0;
      for (const year of YEARS) {
        for (let month = 1; month <= 12; month++) {
          const key = `${year}-${pad(month)}`;
          for (const time of TIMES) {
            for (const rule of SCHEDULE_RULES) {
              const occurrence = occurrenceInMonth(rule, year, month, time, zone);
              const wall = wallAt(occurrence.firesAt, zone);
              const label = `${zone} ${rule} ${key} ${time}`;
              assert.equal(occurrence.key, key, label);
              assert.equal(wall.date, occurrence.localDate, label);
              assert.equal(wall.time, occurrence.localTime, label);
              assert.equal(occurrence.localDate.slice(0, 7), key, label);
              if (GAPS.has(`${zone} ${occurrence.localDate} ${time}`)) {
                gaps++;
                assert.equal(occurrence.localTime, '03:00', label);
              } else {
                assert.equal(occurrence.localTime, time, label);
              }
              const day = Number(occurrence.localDate.slice(8));
              switch (rule) {
                case 'month-start':
                  assert.equal(day, 1, label);
                  assert.equal(occurrence.endsAt, occurrence.localDate, label);
                  break;
                case 'monday-after':
                  assert.equal(wall.weekday, 'Mon', label);
                  assert.ok(day >= 1 && day <= 7, label);
                  assert.equal(occurrence.endsAt, occurrence.localDate, label);
                  break;
                case 'last-business-day': {
                  assert.ok(!['Sat', 'Sun'].includes(wall.weekday), label);
                  // No weekday follows it in the month: the days after it are a weekend at most.
                  assert.ok(lastDay(year, month) - day <= 2, label);
                  if (lastDay(year, month) - day > 0) assert.equal(wall.weekday, 'Fri', label);
                  assert.equal(occurrence.endsAt, nextFirst(year, month), label);
                  break;
                }
              }
            }
          }
        }
      }
      assert.equal(gaps, zone === 'Australia/Sydney' ? 1 : 0);
    });
  }

  it('knows the leap day: last business day of February 2028 is Tuesday the 29th', () => {
    const occurrence = occurrenceInMonth('last-business-day', 2028, 2, '17:00', 'Europe/Paris');
    assert.equal(occurrence.localDate, '2028-02-29');
    assert.equal(occurrence.endsAt, '2028-03-01');
    assert.equal(wallAt(occurrence.firesAt, 'Europe/Paris').weekday, 'Tue');
    assert.equal(
      occurrenceInMonth('last-business-day', 2027, 2, '17:00', 'Europe/Paris').localDate,
      '2027-02-26',
    );
  });

  it('crosses the year end: December’s preview ends at 1 January of the next year', () => {
    const december = occurrenceInMonth('last-business-day', 2026, 12, '18:00', 'Europe/Paris');
    assert.equal(december.localDate, '2026-12-31');
    assert.equal(december.endsAt, '2027-01-01');
    assert.equal(december.key, '2026-12');
    const january = occurrenceInMonth('month-start', 2027, 1, '08:00', 'Europe/Paris');
    assert.deepEqual(january, {
      key: '2027-01',
      localDate: '2027-01-01',
      localTime: '08:00',
      firesAt: Date.UTC(2027, 0, 1, 7, 0),
      endsAt: '2027-01-01',
    });
    assert.equal(occurrenceInMonth('monday-after', 2027, 1, '08:00', 'Europe/Paris').endsAt, '2027-01-04');
    assert.equal(occurrenceInMonth('monday-after', 2027, 2, '08:00', 'Europe/Paris').endsAt, '2027-02-01');
  });

  it('schedules on a DST day: 02:30 on 1 Oct 2028 in Sydney does not exist and fires at 03:00', () => {
    const occurrence = occurrenceInMonth('month-start', 2028, 10, '02:30', 'Australia/Sydney');
    assert.equal(occurrence.firesAt, Date.UTC(2028, 8, 30, 16, 0));
    assert.equal(occurrence.localTime, '03:00');
    assert.equal(occurrence.endsAt, '2028-10-01');
  });

  it('schedules on a fall-back day once, at the earlier instant', () => {
    // 1 Nov 2026 in New York: 01:30 happens twice.
    const ny = occurrenceInMonth('month-start', 2026, 11, '01:30', 'America/New_York');
    assert.equal(ny.firesAt, Date.UTC(2026, 10, 1, 5, 30));
    // 1 Apr 2029 in Sydney: 02:30 happens twice.
    const sydney = occurrenceInMonth('month-start', 2029, 4, '02:30', 'Australia/Sydney');
    assert.equal(sydney.firesAt, Date.UTC(2029, 2, 31, 15, 30));
  });

  it('refuses a bad rule, month or time with a typed error', () => {
    assert.throws(
      () => occurrenceInMonth('weekly' as never, 2027, 1, '08:00', 'Europe/Paris'),
      ScheduleInputError,
    );
    assert.throws(
      () => occurrenceInMonth('month-start', 2027, 13, '08:00', 'Europe/Paris'),
      ScheduleInputError,
    );
    assert.throws(
      () => occurrenceInMonth('month-start', 2027, 0, '08:00', 'Europe/Paris'),
      ScheduleInputError,
    );
    assert.throws(() => occurrenceInMonth('month-start', 2027, 1, '8h', 'Europe/Paris'), ScheduleInputError);
  });
});

describe('nextOccurrence', () => {
  for (const zone of ZONES) {
    it(`${zone}: chaining from 2026 visits every month to 2030 in order`, () => {
      for (const rule of SCHEDULE_RULES) {
        let after = localToUtc('2025-12-31', '12:00', zone);
        const seen: Occurrence[] = [];
        for (let i = 0; i < 60; i++) {
          const occurrence = nextOccurrence(rule, after, '08:00', zone);
          assert.ok(occurrence.firesAt > after);
          seen.push(occurrence);
          after = occurrence.firesAt;
        }
        const expectedKeys = YEARS.flatMap((y) => Array.from({ length: 12 }, (_, m) => `${y}-${pad(m + 1)}`));
        assert.deepEqual(
          seen.map((o) => o.key),
          expectedKeys,
          `${zone} ${rule}`,
        );
      }
    });
  }

  it('is strictly after: at the firing instant it gives the next month', () => {
    const december = occurrenceInMonth('month-start', 2026, 12, '08:00', 'Europe/Paris');
    assert.equal(nextOccurrence('month-start', december.firesAt - 1, '08:00', 'Europe/Paris').key, '2026-12');
    assert.equal(nextOccurrence('month-start', december.firesAt, '08:00', 'Europe/Paris').key, '2027-01');
  });

  it('after the last business day of the month, finds the next month’s', () => {
    const after = Date.UTC(2026, 11, 31, 20, 0); // 31 Dec 2026, 21:00 in Paris
    const next = nextOccurrence('last-business-day', after, '18:00', 'Europe/Paris');
    assert.equal(next.localDate, '2027-01-29');
    assert.equal(next.endsAt, '2027-02-01');
  });
});

describe('occurrencesBetween', () => {
  for (const zone of ZONES) {
    for (const time of ['00:00', '08:00', '23:59']) {
      it(`${zone} at ${time}: exactly 12 occurrences per rule in 2027`, () => {
        const from = localToUtc('2027-01-01', '00:00', zone) - 1;
        const to = localToUtc('2028-01-01', '00:00', zone) - 1;
        for (const rule of SCHEDULE_RULES) {
          const found = occurrencesBetween(rule, from, to, time, zone);
          assert.equal(found.length, 12, `${zone} ${rule}`);
          assert.deepEqual(
            found.map((o) => o.key),
            Array.from({ length: 12 }, (_, m) => `2027-${pad(m + 1)}`),
          );
          for (let i = 1; i < found.length; i++) assert.ok(found[i]!.firesAt > found[i - 1]!.firesAt);
        }
      });
    }
  }

  it('excludes the start and includes the end of the window', () => {
    const occurrence = occurrenceInMonth('monday-after', 2027, 3, '08:00', 'Europe/Paris');
    const { firesAt } = occurrence;
    assert.deepEqual(
      occurrencesBetween('monday-after', firesAt, firesAt + 86_400_000, '08:00', 'Europe/Paris'),
      [],
    );
    assert.deepEqual(occurrencesBetween('monday-after', firesAt - 1, firesAt, '08:00', 'Europe/Paris'), [
      occurrence,
    ]);
    assert.deepEqual(occurrencesBetween('monday-after', firesAt, firesAt - 1, '08:00', 'Europe/Paris'), []);
  });

  it('finds what a scheduler missed during a three-day outage over the month end', () => {
    const from = Date.UTC(2026, 10, 29, 12, 0); // Sun 29 Nov 2026
    const to = Date.UTC(2026, 11, 2, 12, 0); // Wed 2 Dec 2026
    const missed = SCHEDULE_RULES.flatMap((rule) =>
      occurrencesBetween(rule, from, to, '08:00', 'Europe/Paris'),
    );
    assert.deepEqual(
      missed.map((o) => [o.localDate, o.endsAt]),
      [
        ['2026-12-01', '2026-12-01'], // month-start
        ['2026-11-30', '2026-12-01'], // last-business-day of November (Monday 30)
      ],
    );
  });

  it('refuses a window of centuries', () => {
    assert.throws(
      () => occurrencesBetween('month-start', 0, Date.UTC(2300, 0, 1), '08:00', 'Europe/Paris'),
      ScheduleInputError,
    );
  });
});
