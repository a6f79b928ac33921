import { wallClockIn } from '../calendar/end-date.js';
import type { Schedule } from '../store/schedule-store.js';
import { nextOccurrence, type Occurrence, occurrenceInMonth } from './rules.js';

/** A schedule's occurrences, from the pure rules; what lists, App Home and the scheduler show. */

type ScheduleTiming = Pick<Schedule, 'rule' | 'timeOfDay'>;

/** The first occurrence strictly after `now`. */
export function nextOccurrenceOf(schedule: ScheduleTiming, now: number, timezone: string): Occurrence {
  return nextOccurrence(schedule.rule, now, schedule.timeOfDay, timezone);
}

/**
 * This month's occurrence (in the schedule's zone), whether it is past or still to come: what
 * "Run now" exports. On 15 February a `month-start` schedule exports January (endsAt 1 Feb), a
 * `last-business-day` one previews February (endsAt 1 Mar) — the same as the command's `last-month`
 * and `monday` defaults.
 */
export function currentOccurrenceOf(schedule: ScheduleTiming, now: number, timezone: string): Occurrence {
  const wall = wallClockIn(timezone, now);
  return occurrenceInMonth(schedule.rule, wall.year, wall.month, schedule.timeOfDay, timezone);
}
