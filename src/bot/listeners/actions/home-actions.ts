import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { userMessageOf } from '../../../errors.js';
import { describeError } from '../../../util/log.js';
import { runThreadText } from '../../messages/catalogs/run-thread.js';
import { configurationName, periodName } from '../../messages/format.js';
import { ACTION_HOME_DISABLE, ACTION_HOME_RUN_NOW, parseRunNowValue } from '../../messages/home-view.js';
import { clickKey, isReplay } from '../../replays.js';
import { startRunInSlack } from '../../start-run.js';
import { type HomeDeps, publishHome } from '../events/app-home.js';

/**
 * "Run now" from App Home: starts the schedule's export of this month now, in the schedule's channel,
 * exactly like a command would. Authorisation is checked again here: a button in an old Home tab
 * outlives a change to ALLOWED_USERS. Returns the notice shown at the top of the re-published tab.
 */
export async function runScheduleNow(
  deps: HomeDeps,
  client: WebClient,
  userId: string,
  value: string,
): Promise<string> {
  const { ctx, schedules } = deps;
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return `:lock: ${decision.reason}`;
  const parsed = parseRunNowValue(value);
  const schedule = parsed ? schedules.get(parsed.scheduleId) : undefined;
  if (!parsed || !schedule) return 'That button is no longer valid: here is the current list.';
  if (!schedule.enabled) return `Schedule ${schedule.id} has been disabled: nothing was started.`;
  if (!ctx.access.channelAllowed(schedule.channelId)) return `:lock: ${ctx.access.channelRefusal()}`;

  try {
    const started = await startRunInSlack(
      { ...ctx, client },
      {
        configurationId: schedule.configurationId,
        configurationLabel: schedule.configurationLabel,
        endsAt: parsed.endsAt,
        requestedBy: userId,
        source: 'home',
        channelId: schedule.channelId,
        scheduleId: schedule.id,
        // Shown under the run's parent message: the channel's language, not the clicker's.
        note: runThreadText[ctx.language].startedFromHome(`<@${userId}>`),
      },
    );
    const what = `${configurationName(started.run)}, ${periodName(started.run.endsAt)}`;
    const follow = started.link ? ` <${started.link}|Follow it here>.` : '';
    ctx.logger.info('schedule run started from App Home', {
      scheduleId: schedule.id,
      runId: started.run.id,
      outcome: started.outcome,
      by: userId,
    });
    switch (started.outcome) {
      case 'joined':
        return `This export (${what}) is already running: run ${started.run.id}.${follow}`;
      case 'queued':
        return `Another export of ${configurationName(started.run)} is running; this one (${periodName(started.run.endsAt)}) starts when it ends: run ${started.run.id}.${follow}`;
      default:
        return `:white_check_mark: Started run ${started.run.id} (${what}) in <#${schedule.channelId}>.${follow}`;
    }
  } catch (error) {
    ctx.logger.warn('schedule run from App Home failed', {
      ...describeError(error),
      scheduleId: schedule.id,
      by: userId,
    });
    return `:x: In <#${schedule.channelId}>: ${userMessageOf(error)}`;
  }
}

/** "Disable" from App Home: the same soft delete as `schedule remove`. */
export async function disableScheduleFromHome(
  deps: HomeDeps,
  userId: string,
  value: string,
): Promise<string> {
  const { ctx, schedules } = deps;
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return `:lock: ${decision.reason}`;
  const id = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  const result = schedules.disable(id, userId, ctx.clock.now());
  switch (result.outcome) {
    case 'not-found':
      return 'That button is no longer valid: here is the current list.';
    case 'already-disabled':
      return `Schedule ${id} was already disabled.`;
    case 'disabled':
      ctx.logger.info('schedule disabled from App Home', { scheduleId: id, by: userId });
      return `Schedule ${id} is disabled: ${configurationName(result.schedule)} will no longer be exported \`${result.schedule.rule}\` in <#${result.schedule.channelId}>.`;
  }
}

export function registerHomeActions(app: App, deps: HomeDeps): void {
  const handlers = {
    [ACTION_HOME_RUN_NOW]: (client: WebClient, userId: string, value: string) =>
      runScheduleNow(deps, client, userId, value),
    [ACTION_HOME_DISABLE]: (_client: WebClient, userId: string, value: string) =>
      disableScheduleFromHome(deps, userId, value),
  };
  for (const [actionId, handle] of Object.entries(handlers)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      // Slack's 3-second limit: ack first. Home tab buttons have no response_url, so the answer is a
      // notice at the top of the re-published tab.
      await ack();
      const userId = body.user.id;
      let notice: string;
      try {
        if (await isReplay(deps.ctx, clickKey(body, action))) {
          deps.ctx.logger.warn('a click Slack already delivered was sent again; ignored', { actionId });
          return;
        }
        notice = await handle(client, userId, action.value ?? '');
      } catch (error) {
        deps.ctx.logger.error('App Home button failed', { ...describeError(error), actionId, user: userId });
        notice = ':x: That did not work. Please try again in a minute.';
      }
      try {
        await publishHome(client, userId, deps, notice);
      } catch (error) {
        deps.ctx.logger.error('could not re-publish the App Home tab', {
          ...describeError(error),
          user: userId,
        });
      }
    });
  }
}
