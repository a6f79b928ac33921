import { todayIn } from '../../calendar/end-date.js';
import type { Language } from '../../i18n/language.js';
import { configurationName } from '../../i18n/names.js';
import { humanDate, periodName } from '../../i18n/periods.js';
import type { Occurrence } from '../../schedule/rules.js';
import { localDateTimeIn, scheduleWords } from '../../schedule/schedule-words.js';
import type { OccurrenceRecord, Schedule } from '../../store/schedule-store.js';
import { scheduleText } from './catalogs/schedules.js';
import { slackTime } from './format.js';
import { luccaError } from './lucca-text.js';

/** How schedules read in Slack: shared by `schedule list` and App Home so they say the same thing. */

/** `payroll (#3) → #payroll, `month-start` at 08:00 (Europe/Paris)` */
export function scheduleSummary(schedule: Schedule, timezone: string, language: Language): string {
  return scheduleText[language].summary(
    configurationName(schedule, language),
    `<#${schedule.channelId}>`,
    schedule.rule,
    schedule.timeOfDay,
    timezone,
  );
}

/** `Mon 1 Feb 2027 at 08:00 (Europe/Paris) · <reader's time> your time · exporting January 2027` */
export function nextOccurrenceText(
  occurrence: Occurrence,
  schedule: Schedule,
  timezone: string,
  language: Language,
): string {
  const t = scheduleText[language];
  // Said when an occurrence falls in a DST gap (02:30 on the last Sunday of March does not exist in
  // Paris): the rules move it to the first valid minute, and people should not be surprised by it.
  const shifted = occurrence.localTime !== schedule.timeOfDay;
  const shift = shifted ? ` (${t.dstShift(schedule.timeOfDay, occurrence.localTime)})` : '';
  return [
    `${localDateTimeIn(occurrence, timezone, language)}${shift}`,
    t.yourTime(slackTime(occurrence.firesAt, t.slackTimeFormat)),
    t.exporting(periodName(occurrence.endsAt, language)),
  ].join(' · ');
}

/** What happened to the latest occurrence, in words; undefined when none has come yet. */
export function lastOccurrenceText(
  record: OccurrenceRecord | undefined,
  timezone: string,
  language: Language,
): string | undefined {
  if (!record) return undefined;
  const t = scheduleText[language];
  const when = humanDate(todayIn(timezone, record.firesAt), language);
  switch (record.outcome) {
    case 'started':
      return t.lastStarted(when, record.runId);
    case 'claimed':
      return t.lastClaimed(when);
    case 'failed':
      return t.lastFailed(when, occurrenceReason(record, language, t.unknownReason));
    case 'skipped':
      return t.lastSkipped(when, occurrenceReason(record, language, t.channelNotAllowed));
    case 'missed':
      return t.lastMissed(when);
    case 'interrupted':
      return t.lastInterrupted(when);
  }
}

/**
 * Why an occurrence was skipped or could not start, in the reader's language, from the code the
 * scheduler recorded (OccurrenceReason, or the start error's code). Else the sentence stored with it:
 * a start error's own (English, as it was written), or a row older than the codes; else `fallback`.
 */
export function occurrenceReason(record: OccurrenceRecord, language: Language, fallback: string): string {
  const t = scheduleText[language];
  const code = record.errorCode;
  if (code === 'channel-not-allowed') return t.channelNoLongerAllowed;
  if (code === 'already-exported' && record.runId !== null) return t.alreadyDelivered(record.runId);
  const worded = code === null ? undefined : t.startFailed(code);
  if (worded !== undefined) return worded;
  return luccaError(record.errorMessage ?? fallback);
}

/** The block text for one schedule: what, where, when next, and how the last one went. */
export function scheduleDetails(
  schedule: Schedule,
  next: Occurrence,
  last: OccurrenceRecord | undefined,
  timezone: string,
  language: Language,
): string {
  const t = scheduleText[language];
  const lastText = lastOccurrenceText(last, timezone, language);
  return [
    t.detailsTitle(schedule.id, configurationName(schedule, language), `<#${schedule.channelId}>`),
    t.detailsRule(schedule.rule, schedule.timeOfDay, scheduleWords[language].rules[schedule.rule]),
    t.next(nextOccurrenceText(next, schedule, timezone, language)),
    ...(lastText ? [t.last(lastText)] : []),
  ].join('\n');
}
