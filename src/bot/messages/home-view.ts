import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { Run } from '../../exports/types.js';
import type { Language } from '../../i18n/language.js';
import { configurationName as configurationNameIn } from '../../i18n/names.js';
import { periodName as periodNameIn } from '../../i18n/periods.js';
import type { Occurrence } from '../../schedule/rules.js';
import { localDateTimeIn } from '../../schedule/schedule-words.js';
import type { OccurrenceRecord, Schedule } from '../../store/schedule-store.js';
import { homeText } from './catalogs/home.js';
import { schedulePostText } from './catalogs/schedule-posts.js';
import { COMMAND_NAME } from './command-text.js';
import { slackTime } from './format.js';
import { SLACK_LIMITS, truncate } from './limits.js';
import { scheduleDetails } from './schedule-text.js';
import { runLine } from './status-message.js';

export const ACTION_HOME_RUN_NOW = 'home_schedule_run_now';
export const ACTION_HOME_DISABLE = 'home_schedule_disable';

export interface HomeSchedule {
  schedule: Schedule;
  next: Occurrence;
  /** This month's occurrence: what "Run now" exports. */
  current: Occurrence;
  last?: OccurrenceRecord | undefined;
}

export interface HomeViewInput {
  /** Newest first. */
  runs: readonly Run[];
  schedules: readonly HomeSchedule[];
  /** Whether the viewer may run exports: buttons are shown only then. */
  canRun: boolean;
  /** When the viewer may not: the sentence that says who to ask (the access refusal, in their language). */
  refusal?: string | undefined;
  /** The viewer's language: the tab is theirs alone. */
  language: Language;
  now: number;
  timezone: string;
  workspaceUrl: string | undefined;
  /** The result of the viewer's last button press, shown at the top. */
  notice?: string | undefined;
}

// A Home tab holds at most 100 blocks: keep well inside it.
const MAX_RUNS = 10;
const MAX_SCHEDULES = 30;

/** `12:2026-12-01`: the button carries the end date its confirm dialog showed, so that is what runs. */
export function runNowValue(scheduleId: number, endsAt: string): string {
  return `${scheduleId}:${endsAt}`;
}

export function parseRunNowValue(value: string): { scheduleId: number; endsAt: string } | undefined {
  const match = /^(\d{1,9}):(\d{4}-\d{2}-\d{2})$/.exec(value);
  if (!match) return undefined;
  return { scheduleId: Number(match[1]), endsAt: match[2]! };
}

/** Also in the channel (missedOccurrenceMessage): its words are in the schedule posts' catalog. */
function runNowButton(item: HomeSchedule, language: Language): Button {
  const { schedule, current } = item;
  const t = schedulePostText[language];
  return {
    type: 'button',
    action_id: ACTION_HOME_RUN_NOW,
    value: runNowValue(schedule.id, current.endsAt),
    style: 'primary',
    text: { type: 'plain_text', text: t.runNow },
    confirm: {
      title: { type: 'plain_text', text: t.runNowTitle },
      text: {
        type: 'mrkdwn',
        text: truncate(
          t.runNowText(
            `${configurationNameIn(schedule, language)}, ${periodNameIn(current.endsAt, language)}`,
            `<#${schedule.channelId}>`,
          ),
          SLACK_LIMITS.confirmText,
        ),
      },
      confirm: { type: 'plain_text', text: t.runNow },
      deny: { type: 'plain_text', text: t.notNow },
    },
  };
}

/**
 * Posted in a schedule's channel when an occurrence was missed (the app was down longer than
 * SCHEDULE_CATCH_UP): the team learns it, and Run now exports that month (the same button as App Home).
 * In APP_LANGUAGE: the channel reads it.
 */
export function missedOccurrenceMessage(
  schedule: Schedule,
  occurrence: Occurrence,
  timezone: string,
  language: Language,
): { text: string; blocks: KnownBlock[] } {
  const text = truncate(
    schedulePostText[language].missed(
      `${configurationNameIn(schedule, language)}, ${periodNameIn(occurrence.endsAt, language)}`,
      localDateTimeIn(occurrence, timezone, language),
    ),
    SLACK_LIMITS.sectionText,
  );
  return {
    text,
    blocks: [
      mrkdwn(text),
      {
        type: 'actions',
        block_id: `missed_${schedule.id}_${occurrence.key}`,
        elements: [runNowButton({ schedule, next: occurrence, current: occurrence }, language)],
      },
    ],
  };
}

function disableButton(schedule: Schedule, language: Language): Button {
  const t = homeText[language];
  return {
    type: 'button',
    action_id: ACTION_HOME_DISABLE,
    value: String(schedule.id),
    text: { type: 'plain_text', text: t.disable },
    confirm: {
      title: { type: 'plain_text', text: t.disableTitle(schedule.id) },
      text: {
        type: 'mrkdwn',
        text: truncate(
          t.disableText(configurationNameIn(schedule, language), schedule.rule, `<#${schedule.channelId}>`),
          SLACK_LIMITS.confirmText,
        ),
      },
      confirm: { type: 'plain_text', text: t.disable },
      deny: { type: 'plain_text', text: t.keepIt },
      style: 'danger',
    },
  };
}

function scheduleBlocks(item: HomeSchedule, input: HomeViewInput): KnownBlock[] {
  const { schedule, next, last } = item;
  const text = scheduleDetails(schedule, next, last, input.timezone, input.language);
  const blocks: KnownBlock[] = [mrkdwn(text)];
  if (input.canRun) {
    blocks.push({
      type: 'actions',
      block_id: `home_schedule_${schedule.id}`,
      elements: [runNowButton(item, input.language), disableButton(schedule, input.language)],
    });
  }
  return blocks;
}

const mrkdwn = (text: string): KnownBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) },
});
const context = (text: string): KnownBlock => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.contextText) }],
});

/** The App Home tab: latest runs and the schedules, with buttons only for people who may run exports. */
export function homeView(input: HomeViewInput): HomeView {
  const t = homeText[input.language];
  const c = COMMAND_NAME;
  const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: t.header } }];
  if (input.notice) blocks.push(mrkdwn(input.notice));
  if (input.canRun) blocks.push(context(t.howTo(c)));
  else blocks.push(mrkdwn(t.readOnly(input.refusal ?? t.askAdmin)));

  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: t.schedulesHeader } });
  if (input.schedules.length === 0) {
    blocks.push(mrkdwn(`${t.noSchedules}${input.canRun ? t.addOne(c) : ''}`));
  } else {
    blocks.push(context(t.timesIn(input.timezone)));
    for (const item of input.schedules.slice(0, MAX_SCHEDULES)) blocks.push(...scheduleBlocks(item, input));
    if (input.schedules.length > MAX_SCHEDULES) {
      blocks.push(context(t.moreSchedules(input.schedules.length - MAX_SCHEDULES, c)));
    }
  }

  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: t.runsHeader } });
  if (input.runs.length === 0) blocks.push(mrkdwn(t.noRuns));
  for (const run of input.runs.slice(0, MAX_RUNS)) {
    blocks.push(mrkdwn(runLine(run, input.now, input.workspaceUrl, input.language)));
  }
  blocks.push(context(t.updated(slackTime(input.now, t.slackTimeFormat))));
  return { type: 'home', blocks };
}
