import { AppError } from '../errors.js';

/**
 * Lucca's `endsAt` is a floating local date at midnight (`YYYY-MM-DDT00:00:00`, no offset): everything
 * before it is exported. We carry it as `YYYY-MM-DD`. Calendar arithmetic here is zone-free (UTC fields
 * of a Date used as a plain calendar); only `todayIn` and `wallClockIn` look at a time zone.
 */

export interface CalendarDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

/** A wall-clock reading in some zone. */
export interface WallClock extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

export class DateInputError extends AppError {
  constructor(detail: string) {
    super('date-invalid', 'A date given to the app is not a real YYYY-MM-DD date.', { detail });
  }
}

export class TimezoneError extends AppError {
  constructor(timezone: string) {
    super(
      'timezone-invalid',
      `"${timezone.slice(0, 60)}" is not a time zone: set SCHEDULE_TIMEZONE to an IANA name such as Europe/Paris.`,
    );
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` → its parts, or undefined unless it is a real calendar date. */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** A real calendar date written `YYYY-MM-DD` (2028-02-29 yes, 2027-02-29 and 2026-02-30 no). */
export function isValidIsoDate(text: string): boolean {
  return typeof text === 'string' && parseIsoDate(text) !== undefined;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function requireDate(text: string): CalendarDate {
  const date = parseIsoDate(text);
  if (!date) throw new DateInputError(`"${String(text).slice(0, 40)}" is not YYYY-MM-DD`);
  return date;
}

/** A Date whose UTC fields are the given calendar date (setUTCFullYear: Date.UTC maps years 0–99 to 19xx). */
function calendarDate(year: number, month: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date;
}

function fromCalendarDate(date: Date): string {
  return formatIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function addDays(isoDate: string, days: number): string {
  const { year, month, day } = requireDate(isoDate);
  return fromCalendarDate(calendarDate(year, month, day + days));
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekdayOf(isoDate: string): number {
  const { year, month, day } = requireDate(isoDate);
  return calendarDate(year, month, day).getUTCDay();
}

/** `YYYY-MM-01` of the month containing `today`: the "last-month" end date (exports the month before). */
export function firstOfMonth(today: string): string {
  const { year, month } = requireDate(today);
  return formatIsoDate(year, month, 1);
}

/** The 1st of the month after the given month (December → January of the next year). */
export function firstOfNextMonth(year: number, month: number): string {
  return month === 12 ? formatIsoDate(year + 1, 1, 1) : formatIsoDate(year, month + 1, 1);
}

/** The first Monday on or after the 1st of the given month (the 1st itself when it is a Monday). */
export function firstMondayOfMonth(year: number, month: number): string {
  const first = formatIsoDate(year, month, 1);
  const weekday = weekdayOf(first);
  return addDays(first, (8 - weekday) % 7);
}

/**
 * The "monday" end date: Lucca's export guide advises exporting up to a Monday at midnight when
 * calculation rules work by the week (they are triggered on Sundays), rather than up to the 1st.
 */
export function firstMondayOnOrAfterFirst(today: string): string {
  const { year, month } = requireDate(today);
  return firstMondayOfMonth(year, month);
}

/** The last Monday–Friday of the month. Public holidays are not known to the app and not skipped. */
export function lastWeekdayOfMonth(year: number, month: number): string {
  const last = formatIsoDate(year, month, daysInMonth(year, month));
  const weekday = weekdayOf(last);
  return addDays(last, weekday === 6 ? -1 : weekday === 0 ? -2 : 0);
}

/** Same month and day `years` later, clamped to the month's end (2028-02-29 + 1 year → 2029-02-28). */
export function addYears(isoDate: string, years: number): string {
  const { year, month, day } = requireDate(isoDate);
  const target = year + years;
  return formatIsoDate(target, month, Math.min(day, daysInMonth(target, month)));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TimezoneError(String(timezone));
    }
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall-clock reading at instant `ms` in an IANA zone, via Intl (no date library). */
export function wallClockIn(timezone: string, ms: number): WallClock {
  if (!Number.isFinite(ms)) throw new DateInputError(`instant ${ms} is not a finite number`);
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(ms)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields['year'] ?? Number.NaN,
    month: fields['month'] ?? Number.NaN,
    day: fields['day'] ?? Number.NaN,
    // Some ICU versions write midnight as 24 even with h23.
    hour: (fields['hour'] ?? Number.NaN) % 24,
    minute: fields['minute'] ?? Number.NaN,
    second: fields['second'] ?? Number.NaN,
  };
}

/** The local date (`YYYY-MM-DD`) at instant `nowMs` in an IANA zone. */
export function todayIn(timezone: string, nowMs: number): string {
  const { year, month, day } = wallClockIn(timezone, nowMs);
  return formatIsoDate(year, month, day);
}

/**
 * An export up to `endsAt` asked for on `today` (both local dates) holds days that are not over: a
 * preview, whose entries may still change. Up to today itself is not one (today is not included).
 */
export function isPreview(endsAt: string, today: string): boolean {
  requireDate(endsAt);
  requireDate(today);
  return endsAt > today;
}
