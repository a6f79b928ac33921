import {
  firstMondayOfMonth,
  firstOfNextMonth,
  formatIsoDate,
  lastWeekdayOfMonth,
  parseIsoDate,
  wallClockIn,
} from '../calendar/end-date.js';
import { AppError } from '../errors.js';

/**
 * Month-end schedule rules as pure functions of (rule, month, time of day, IANA zone).
 *
 * - `month-start`: fires on the 1st at the time of day; endsAt = that 1st (exports the month just ended).
 * - `monday-after`: fires on the first Monday on or after the 1st; endsAt = that Monday. Lucca's guide
 *   advises a Monday-midnight end when calculation rules are weekly (triggered on Sundays).
 * - `last-business-day`: fires on the last Monday–Friday of the month; endsAt = the 1st of the NEXT
 *   month. It runs before the month is over, so it is a preview (entries for the remaining hours and
 *   days are not in it yet); a `month-start` or `monday-after` schedule makes the final export.
 *   Public holidays are not known and not skipped.
 */
export const SCHEDULE_RULES = ['month-start', 'monday-after', 'last-business-day'] as const;
export type ScheduleRule = (typeof SCHEDULE_RULES)[number];

/** One sentence per rule, for help texts and schedule lists. */
export const RULE_DESCRIPTIONS: Record<ScheduleRule, string> = {
  'month-start': 'on the 1st of each month, exporting the month just ended',
  'monday-after':
    'on the first Monday on or after the 1st, exporting up to that Monday (for weekly calculation rules)',
  'last-business-day':
    'on the last weekday (Mon–Fri) of the month, exporting the month before it ends: a preview',
};

export interface Occurrence {
  /** The month the occurrence fires in, `YYYY-MM`: stable even if the time of day is changed. */
  key: string;
  /** Local wall date and time at `firesAt` (differ from the requested time only inside a DST gap). */
  localDate: string;
  localTime: string;
  /** Epoch ms (UTC). */
  firesAt: number;
  /** `YYYY-MM-DD`: Lucca exports everything before midnight of this date. */
  endsAt: string;
}

export class ScheduleInputError extends AppError {
  constructor(detail: string) {
    super('schedule-input-invalid', 'A schedule has an invalid rule, month or time of day.', { detail });
  }
}

export function isScheduleRule(text: string): text is ScheduleRule {
  return (SCHEDULE_RULES as readonly string[]).includes(text);
}

/** `7`, `07`, `7:30`, `07:30` → `HH:MM` (00:00–23:59); anything else → undefined. */
export function parseTimeOfDay(text: string): string | undefined {
  const match = /^(\d{1,2})(?::(\d{2}))?$/.exec(typeof text === 'string' ? text.trim() : '');
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2] ?? '0');
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const DAY = 86_400_000;

/** Wall-clock fields read as if they were UTC: the "local ms" that offsets are measured against. */
function wallAsUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The zone's offset (local − UTC, in ms) at instant `ms`, to the second. */
function offsetAt(ms: number, timezone: string): number {
  const wall = wallClockIn(timezone, ms);
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second) - whole;
}

function requireTime(timeOfDay: string): { hour: number; minute: number; text: string } {
  const text = parseTimeOfDay(timeOfDay);
  if (!text) throw new ScheduleInputError(`"${String(timeOfDay).slice(0, 20)}" is not a time of day`);
  return { hour: Number(text.slice(0, 2)), minute: Number(text.slice(3)), text };
}

/**
 * The instant a local date and time happen in `timezone`.
 * DST: a time inside a spring-forward gap (02:30 on 2027-03-28 in Paris does not exist) moves forward
 * to the first valid instant (03:00 local); an ambiguous fall-back time (02:30 on 2026-10-25 in Paris
 * happens twice) takes the first, earlier instant.
 */
export function localToUtc(localDate: string, localTime: string, timezone: string): number {
  const date = parseIsoDate(localDate);
  if (!date) throw new ScheduleInputError(`"${String(localDate).slice(0, 20)}" is not YYYY-MM-DD`);
  const { hour, minute } = requireTime(localTime);
  const wall = wallAsUtc(date.year, date.month, date.day, hour, minute);

  // The true instant lies within ±14 h of `wall`; the offsets in force a day either side cover it.
  // An instant `wall − o` is a solution exactly when the offset there is `o` (a fixed point).
  const offsets = [
    ...new Set([offsetAt(wall - DAY, timezone), offsetAt(wall, timezone), offsetAt(wall + DAY, timezone)]),
  ];
  const solutions = offsets.map((o) => wall - o).filter((t) => offsetAt(t, timezone) === wall - t);
  if (solutions.length) return Math.min(...solutions);

  // No solution: the local time was skipped. The transition lies between the two candidate instants;
  // binary-search it to the second.
  const candidates = offsets.map((o) => wall - o);
  let low = Math.min(...candidates);
  let high = Math.max(...candidates);
  const before = offsetAt(low, timezone);
  if (offsetAt(high, timezone) === before) return high;
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, timezone) === before) low = middle;
    else high = middle;
  }
  return high;
}

function validateMonth(year: number, month: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new ScheduleInputError(`year ${year}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new ScheduleInputError(`month ${month}`);
}

function requireRule(rule: string): ScheduleRule {
  if (!isScheduleRule(rule)) throw new ScheduleInputError(`"${String(rule).slice(0, 30)}" is not a rule`);
  return rule;
}

/** The rule's occurrence in the given month (1–12) of `year`. */
export function occurrenceInMonth(
  rule: ScheduleRule,
  year: number,
  month: number,
  timeOfDay: string,
  timezone: string,
): Occurrence {
  validateMonth(year, month);
  const time = requireTime(timeOfDay);
  let fireDate: string;
  let endsAt: string;
  switch (requireRule(rule)) {
    case 'month-start':
      fireDate = formatIsoDate(year, month, 1);
      endsAt = fireDate;
      break;
    case 'monday-after':
      fireDate = firstMondayOfMonth(year, month);
      endsAt = fireDate;
      break;
    case 'last-business-day':
      fireDate = lastWeekdayOfMonth(year, month);
      endsAt = firstOfNextMonth(year, month);
      break;
  }
  const firesAt = localToUtc(fireDate, time.text, timezone);
  const wall = wallClockIn(timezone, firesAt);
  return {
    key: `${year}-${String(month).padStart(2, '0')}`,
    localDate: formatIsoDate(wall.year, wall.month, wall.day),
    localTime: `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`,
    firesAt,
    endsAt,
  };
}

function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function requireInstant(ms: number, name: string): void {
  if (!Number.isFinite(ms)) throw new ScheduleInputError(`${name} ${ms} is not an instant`);
}

/** The first occurrence that fires strictly after `afterMs`. */
export function nextOccurrence(
  rule: ScheduleRule,
  afterMs: number,
  timeOfDay: string,
  timezone: string,
): Occurrence {
  requireInstant(afterMs, 'afterMs');
  const now = wallClockIn(timezone, afterMs);
  // Start a month early: a DST shift could in theory push last month's occurrence past `afterMs`.
  for (let by = -1; by <= 2; by++) {
    const { year, month } = shiftMonth(now.year, now.month, by);
    const occurrence = occurrenceInMonth(rule, year, month, timeOfDay, timezone);
    if (occurrence.firesAt > afterMs) return occurrence;
  }
  throw new ScheduleInputError(`no occurrence found after ${afterMs}`);
}

/** Longest window `occurrencesBetween` accepts, in months (a scheduler catching up needs days). */
const MAX_WINDOW_MONTHS = 1200;

/** Occurrences with `fromMs < firesAt <= toMs`, oldest first (a scheduler's catch-up window). */
export function occurrencesBetween(
  rule: ScheduleRule,
  fromMs: number,
  toMs: number,
  timeOfDay: string,
  timezone: string,
): Occurrence[] {
  requireInstant(fromMs, 'fromMs');
  requireInstant(toMs, 'toMs');
  if (toMs <= fromMs) return [];
  const from = wallClockIn(timezone, fromMs);
  const to = wallClockIn(timezone, toMs);
  const months = (to.year - from.year) * 12 + (to.month - from.month);
  if (months > MAX_WINDOW_MONTHS) throw new ScheduleInputError(`window of ${months} months is too long`);
  const found: Occurrence[] = [];
  for (let by = -1; by <= months + 1; by++) {
    const { year, month } = shiftMonth(from.year, from.month, by);
    const occurrence = occurrenceInMonth(rule, year, month, timeOfDay, timezone);
    if (occurrence.firesAt > fromMs && occurrence.firesAt <= toMs) found.push(occurrence);
  }
  return found;
}
