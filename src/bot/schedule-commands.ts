import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { todayIn } from '../calendar/end-date.js';
import type { ParsedCommand } from '../command/grammar.js';
import type { Language } from '../i18n/language.js';
import { configurationName } from '../i18n/names.js';
import { SCHEDULE_RULES } from '../schedule/rules.js';
import { nextOccurrenceOf } from '../schedule/schedule-occurrences.js';
import { scheduleWords } from '../schedule/schedule-words.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { Clock } from '../util/clock.js';
import { describeError, type Logger } from '../util/log.js';
import { type AccessControl, refusalText } from './access.js';
import type { CommandReply } from './context.js';
import { scheduleText } from './messages/catalogs/schedules.js';
import { COMMAND_NAME } from './messages/command-text.js';
import { nextOccurrenceText, scheduleDetails, scheduleSummary } from './messages/schedule-text.js';
import { slackErrorCode } from './slack-errors.js';

export interface ScheduleCommandDeps {
  store: ScheduleStore;
  access: Pick<AccessControl, 'canRunExports' | 'channelAllowed' | 'channelRefusal'>;
  clock: Clock;
  /** SCHEDULE_TIMEZONE */
  timezone: string;
  /** APP_LANGUAGE: the announcements in the schedule's channel are read by the whole team. */
  channelLanguage: Language;
  logger?: Logger;
}

/** Who typed the command, where, and the language they read (their replies). */
export interface ScheduleCommandUser {
  userId: string;
  channelId: string;
  language: Language;
}

export type ScheduleCommandHandler = (
  command: ParsedCommand,
  user: ScheduleCommandUser,
  client: WebClient,
) => Promise<CommandReply>;

/** Slack allows 50 blocks in a message; a few go to the heading and footer. */
const MAX_LISTED = 40;

/** `schedule list | add | remove` of `/timesheet-export`: the bot's `CommandExtensions.schedule`. */
export function createScheduleCommands(deps: ScheduleCommandDeps): ScheduleCommandHandler {
  return async (command, user, client) => {
    switch (command.kind) {
      case 'schedule-list':
        return listSchedules(deps, user.language);
      case 'schedule-add':
        return addSchedule(deps, command, user, client);
      case 'schedule-remove':
        return removeSchedule(deps, command.scheduleId, user, client);
      default:
        return { text: scheduleText[user.language].notAScheduleCommand(`${COMMAND_NAME} help`) };
    }
  };
}

function listSchedules(deps: ScheduleCommandDeps, language: Language): CommandReply {
  const t = scheduleText[language];
  const schedules = deps.store.listEnabled();
  const example = `${COMMAND_NAME} schedule add payroll month-start at 08:00`;
  if (schedules.length === 0) return { text: t.noneYet(example, ruleList()) };
  const now = deps.clock.now();
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: t.listTitle(deps.timezone) } },
  ];
  for (const schedule of schedules.slice(0, MAX_LISTED)) {
    const next = nextOccurrenceOf(schedule, now, deps.timezone);
    const last = deps.store.latestOccurrence(schedule.id);
    const text = scheduleDetails(schedule, next, last, deps.timezone, language);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (schedules.length > MAX_LISTED) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: t.andMore(schedules.length - MAX_LISTED) }],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: t.listFooter(`${COMMAND_NAME} schedule remove ${t.numberPlaceholder}`, example),
      },
    ],
  });
  return { text: t.count(schedules.length), blocks };
}

async function addSchedule(
  deps: ScheduleCommandDeps,
  command: Extract<ParsedCommand, { kind: 'schedule-add' }>,
  user: ScheduleCommandUser,
  client: WebClient,
): Promise<CommandReply> {
  const { language } = user;
  const t = scheduleText[language];
  const decision = await deps.access.canRunExports(user.userId);
  if (!decision.allowed) return { text: `:lock: ${refusalText(decision.refusal, language)}` };
  const channelId = command.channelId ?? user.channelId;
  const channel = `<#${channelId}>`;
  if (!deps.access.channelAllowed(channelId))
    return { text: `:lock: ${deps.access.channelRefusal(language)}` };

  const membership = await botMembership(client, channelId, deps.logger);
  if (membership === 'not-member') return { text: t.notMember(channel) };
  if (membership === 'not-found') return { text: t.cannotSee };
  if (membership === 'archived') return { text: t.archived(channel) };

  const now = deps.clock.now();
  const created = deps.store.create(
    {
      configurationId: command.configurationId,
      configurationLabel: command.configurationLabel,
      rule: command.rule,
      timeOfDay: command.timeOfDay,
      channelId,
      createdBy: user.userId,
    },
    now,
  );
  const { schedule } = created;
  const remove = `${COMMAND_NAME} schedule remove ${schedule.id}`;
  if (created.outcome === 'duplicate') {
    return {
      text: t.duplicate(
        configurationName(schedule, language),
        schedule.rule,
        channel,
        schedule.id,
        schedule.timeOfDay,
        deps.timezone,
        remove,
      ),
    };
  }
  deps.logger?.info('schedule added', {
    scheduleId: schedule.id,
    configurationId: schedule.configurationId,
    rule: schedule.rule,
    timeOfDay: schedule.timeOfDay,
    channel: channelId,
    by: user.userId,
  });
  const next = nextOccurrenceOf(schedule, now, deps.timezone);
  const lines = [
    t.added(
      schedule.id,
      configurationName(schedule, language),
      channel,
      scheduleWords[language].rules[schedule.rule],
      schedule.timeOfDay,
      deps.timezone,
    ),
    t.addedNext(nextOccurrenceText(next, schedule, deps.timezone, language)),
    t.removeWith(remove),
  ];
  if (membership === 'unknown') lines.push(t.mustBeMember(channel));
  // The team should know an export will appear in their channel, not only the person who typed it:
  // in APP_LANGUAGE, which the whole channel reads.
  const team = deps.channelLanguage;
  await announce(
    deps,
    client,
    channelId,
    scheduleText[team].announceAdded(
      `<@${user.userId}>`,
      configurationName(schedule, team),
      scheduleWords[team].rules[schedule.rule],
      schedule.timeOfDay,
      deps.timezone,
      nextOccurrenceText(next, schedule, deps.timezone, team),
    ),
  );
  return { text: lines.join('\n') };
}

/** A word in the schedule's channel; a channel that refuses it changes nothing (logged). */
async function announce(deps: ScheduleCommandDeps, client: WebClient, channelId: string, text: string) {
  try {
    await client.chat.postMessage({ channel: channelId, text, unfurl_links: false });
  } catch (error) {
    deps.logger?.warn('could not announce the schedule change in its channel', {
      channel: channelId,
      ...describeError(error),
    });
  }
}

async function removeSchedule(
  deps: ScheduleCommandDeps,
  scheduleId: number,
  user: ScheduleCommandUser,
  client: WebClient,
): Promise<CommandReply> {
  const { userId, language } = user;
  const t = scheduleText[language];
  const decision = await deps.access.canRunExports(userId);
  if (!decision.allowed) return { text: `:lock: ${refusalText(decision.refusal, language)}` };
  const result = deps.store.disable(scheduleId, userId, deps.clock.now());
  switch (result.outcome) {
    case 'not-found':
      return { text: t.noSuchSchedule(scheduleId, `${COMMAND_NAME} schedule list`) };
    case 'already-disabled': {
      const { schedule } = result;
      const by = schedule.disabledBy ? `<@${schedule.disabledBy}>` : null;
      const when = schedule.disabledAt ? todayIn(deps.timezone, schedule.disabledAt) : null;
      return { text: t.alreadyRemoved(scheduleId, by, when) };
    }
    case 'disabled': {
      deps.logger?.info('schedule removed', { scheduleId, by: userId });
      const team = deps.channelLanguage;
      await announce(
        deps,
        client,
        result.schedule.channelId,
        scheduleText[team].announceRemoved(
          `<@${userId}>`,
          scheduleId,
          configurationName(result.schedule, team),
          scheduleWords[team].rules[result.schedule.rule],
        ),
      );
      return { text: t.removed(scheduleId, scheduleSummary(result.schedule, deps.timezone, language)) };
    }
  }
}

function ruleList(): string {
  return SCHEDULE_RULES.map((rule) => `\`${rule}\``).join(', ');
}

type Membership = 'member' | 'not-member' | 'not-found' | 'archived' | 'unknown';

/**
 * Whether the bot can post in the channel, checked when the schedule is added rather than discovered
 * at month-end. Needs `channels:read` (and `groups:read` for private channels); without them
 * Slack answers `missing_scope` and the answer is "unknown", so the reply reminds the person instead.
 */
async function botMembership(client: WebClient, channelId: string, logger?: Logger): Promise<Membership> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    if (info.channel?.is_archived) return 'archived';
    if (info.channel?.is_member === false) return 'not-member';
    return info.channel?.is_member ? 'member' : 'unknown';
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'channel_not_found') return 'not-found';
    logger?.debug('channel membership unknown', { channel: channelId, ...describeError(error) });
    return 'unknown';
  }
}
