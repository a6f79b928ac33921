import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { todayIn } from '../calendar/end-date.js';
import type { ParsedCommand } from '../command/grammar.js';
import { RULE_DESCRIPTIONS } from '../schedule/rules.js';
import { nextOccurrenceOf } from '../schedule/schedule-occurrences.js';
import type { ScheduleStore } from '../store/schedule-store.js';
import type { Clock } from '../util/clock.js';
import { describeError, type Logger } from '../util/log.js';
import type { AccessControl } from './access.js';
import type { CommandReply } from './context.js';
import { COMMAND_NAME } from './messages/command-text.js';
import { configurationName } from './messages/format.js';
import { nextOccurrenceText, scheduleDetails, scheduleSummary } from './messages/schedule-text.js';
import { slackErrorCode } from './slack-errors.js';

export interface ScheduleCommandDeps {
  store: ScheduleStore;
  access: Pick<AccessControl, 'canRunExports' | 'channelAllowed' | 'channelRefusal'>;
  clock: Clock;
  /** SCHEDULE_TIMEZONE */
  timezone: string;
  logger?: Logger;
}

export type ScheduleCommandHandler = (
  command: ParsedCommand,
  user: { userId: string; channelId: string },
  client: WebClient,
) => Promise<CommandReply>;

/** Slack allows 50 blocks in a message; a few go to the heading and footer. */
const MAX_LISTED = 40;

/** `schedule list | add | remove` of `/timesheet-export`: the bot's `CommandExtensions.schedule`. */
export function createScheduleCommands(deps: ScheduleCommandDeps): ScheduleCommandHandler {
  return async (command, user, client) => {
    switch (command.kind) {
      case 'schedule-list':
        return listSchedules(deps);
      case 'schedule-add':
        return addSchedule(deps, command, user, client);
      case 'schedule-remove':
        return removeSchedule(deps, command.scheduleId, user.userId, client);
      default:
        return { text: `That is not a schedule command. Try \`${COMMAND_NAME} help\`.` };
    }
  };
}

function listSchedules(deps: ScheduleCommandDeps): CommandReply {
  const schedules = deps.store.listEnabled();
  const example = `${COMMAND_NAME} schedule add payroll month-start at 08:00`;
  if (schedules.length === 0) {
    const text = `No month-end schedules yet. Add one with \`${example}\` (rules: ${ruleList()}).`;
    return { text };
  }
  const now = deps.clock.now();
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Month-end schedules* (times in ${deps.timezone}, the app's SCHEDULE_TIMEZONE)`,
      },
    },
  ];
  for (const schedule of schedules.slice(0, MAX_LISTED)) {
    const next = nextOccurrenceOf(schedule, now, deps.timezone);
    const text = scheduleDetails(schedule, next, deps.store.latestOccurrence(schedule.id), deps.timezone);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (schedules.length > MAX_LISTED) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${schedules.length - MAX_LISTED} more.` }],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `Remove one with \`${COMMAND_NAME} schedule remove <number>\`. Add one with \`${example}\`.`,
      },
    ],
  });
  return {
    text: `${schedules.length} month-end schedule${schedules.length === 1 ? '' : 's'}`,
    blocks,
  };
}

async function addSchedule(
  deps: ScheduleCommandDeps,
  command: Extract<ParsedCommand, { kind: 'schedule-add' }>,
  user: { userId: string; channelId: string },
  client: WebClient,
): Promise<CommandReply> {
  const decision = await deps.access.canRunExports(user.userId);
  if (!decision.allowed) return { text: `:lock: ${decision.reason}` };
  const channelId = command.channelId ?? user.channelId;
  if (!deps.access.channelAllowed(channelId)) return { text: `:lock: ${deps.access.channelRefusal()}` };

  const membership = await botMembership(client, channelId, deps.logger);
  if (membership === 'not-member') {
    return {
      text: `I am not a member of <#${channelId}>, so I could not post the export there. Invite me in that channel (\`/invite\` and my name), then add the schedule again.`,
    };
  }
  if (membership === 'not-found') {
    return {
      text: `I cannot see that channel. If it is private, invite me there first (\`/invite\` and my name), then add the schedule again.`,
    };
  }
  if (membership === 'archived') {
    return { text: `<#${channelId}> is archived: choose an active channel.` };
  }

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
  if (created.outcome === 'duplicate') {
    return {
      text: `${configurationName(schedule)} already has a \`${schedule.rule}\` schedule in <#${channelId}>: schedule ${schedule.id}, at ${schedule.timeOfDay} (${deps.timezone}). To change its time, remove it with \`${COMMAND_NAME} schedule remove ${schedule.id}\` and add it again.`,
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
    `:white_check_mark: Schedule ${schedule.id} added: ${configurationName(schedule)} is exported in <#${channelId}> ${RULE_DESCRIPTIONS[schedule.rule]}, at ${schedule.timeOfDay} (${deps.timezone}).`,
    `Next: ${nextOccurrenceText(next, schedule, deps.timezone)}.`,
    `Remove it with \`${COMMAND_NAME} schedule remove ${schedule.id}\`.`,
  ];
  if (membership === 'unknown') {
    lines.push(`I must be a member of <#${channelId}> to post there: invite me if I am not (\`/invite\`).`);
  }
  // The team should know an export will appear in their channel, not only the person who typed it.
  await announce(
    deps,
    client,
    channelId,
    `:calendar: <@${user.userId}> added a month-end schedule here: ${configurationName(schedule)} is exported in this channel ${RULE_DESCRIPTIONS[schedule.rule]}, at ${schedule.timeOfDay} (${deps.timezone}). Next: ${nextOccurrenceText(next, schedule, deps.timezone)}.`,
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
  userId: string,
  client: WebClient,
): Promise<CommandReply> {
  const decision = await deps.access.canRunExports(userId);
  if (!decision.allowed) return { text: `:lock: ${decision.reason}` };
  const result = deps.store.disable(scheduleId, userId, deps.clock.now());
  switch (result.outcome) {
    case 'not-found':
      return {
        text: `There is no schedule ${scheduleId}. \`${COMMAND_NAME} schedule list\` shows the schedules and their numbers.`,
      };
    case 'already-disabled': {
      const { schedule } = result;
      const by = schedule.disabledBy ? ` by <@${schedule.disabledBy}>` : '';
      const when = schedule.disabledAt ? ` on ${todayIn(deps.timezone, schedule.disabledAt)}` : '';
      return { text: `Schedule ${scheduleId} was already removed${by}${when}: nothing to do.` };
    }
    case 'disabled':
      deps.logger?.info('schedule removed', { scheduleId, by: userId });
      await announce(
        deps,
        client,
        result.schedule.channelId,
        `:calendar: <@${userId}> removed schedule ${scheduleId}: ${configurationName(result.schedule)} will no longer be exported in this channel ${RULE_DESCRIPTIONS[result.schedule.rule]}. Exports it already started are not affected.`,
      );
      return {
        text: `Schedule ${scheduleId} removed: ${scheduleSummary(result.schedule, deps.timezone)} will not run any more. Exports it already started are not affected.`,
      };
  }
}

function ruleList(): string {
  return Object.keys(RULE_DESCRIPTIONS)
    .map((rule) => `\`${rule}\``)
    .join(', ');
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
