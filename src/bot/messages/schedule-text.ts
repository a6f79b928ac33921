import { formatHumanDate, todayIn } from '../../calendar/end-date.js';
import type { Occurrence } from '../../schedule/rules.js';
import { RULE_DESCRIPTIONS } from '../../schedule/rules.js';
import { dstShiftNote, localDateTime } from '../../schedule/schedule-occurrences.js';
import type { OccurrenceRecord, Schedule } from '../../store/schedule-store.js';
import { configurationName, periodName, slackTime } from './format.js';
import { luccaError } from './lucca-text.js';

/** How schedules read in Slack: shared by `schedule list` and App Home so they say the same thing. */

/** `payroll (#3) → #payroll, `month-start` at 08:00 (Europe/Paris)` */
export function scheduleSummary(schedule: Schedule, timezone: string): string {
  return `${configurationName(schedule)} → <#${schedule.channelId}>, \`${schedule.rule}\` at ${schedule.timeOfDay} (${timezone})`;
}

/** `Mon 1 Feb 2027 at 08:00 (Europe/Paris) · <reader's time> your time · exporting January 2027` */
export function nextOccurrenceText(occurrence: Occurrence, schedule: Schedule, timezone: string): string {
  const shift = dstShiftNote(occurrence, schedule.timeOfDay);
  return [
    `${localDateTime(occurrence, timezone)}${shift ? ` (${shift})` : ''}`,
    `${slackTime(occurrence.firesAt)} your time`,
    `exporting ${periodName(occurrence.endsAt)}`,
  ].join(' · ');
}

/** What happened to the latest occurrence, in words; undefined when none has come yet. */
export function lastOccurrenceText(
  record: OccurrenceRecord | undefined,
  timezone: string,
): string | undefined {
  if (!record) return undefined;
  const when = formatHumanDate(todayIn(timezone, record.firesAt));
  switch (record.outcome) {
    case 'started':
      return `${when}: started${record.runId !== null ? ` run ${record.runId}` : ''}`;
    case 'claimed':
      return `${when}: starting…`;
    case 'failed':
      return `${when}: :x: could not start: ${luccaError(record.errorMessage ?? 'unknown reason')}`;
    case 'skipped':
      return `${when}: skipped: ${luccaError(record.errorMessage ?? 'the channel is not allowed')}`;
    case 'missed':
      return `${when}: :warning: missed: the app was down longer than the catch-up window`;
    case 'interrupted':
      return `${when}: :warning: interrupted: the app stopped while starting it, so it was not started`;
  }
}

/** The block text for one schedule: what, where, when next, and how the last one went. */
export function scheduleDetails(
  schedule: Schedule,
  next: Occurrence,
  last: OccurrenceRecord | undefined,
  timezone: string,
): string {
  const lastText = lastOccurrenceText(last, timezone);
  return [
    `*Schedule ${schedule.id}* · ${configurationName(schedule)} → <#${schedule.channelId}>`,
    `\`${schedule.rule}\` at ${schedule.timeOfDay}: ${RULE_DESCRIPTIONS[schedule.rule]}`,
    `Next: ${nextOccurrenceText(next, schedule, timezone)}`,
    ...(lastText ? [`Last: ${lastText}`] : []),
  ].join('\n');
}
