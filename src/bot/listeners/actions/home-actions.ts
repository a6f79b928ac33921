import type { App, BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Language } from '../../../i18n/language.js';
import { configurationName } from '../../../i18n/names.js';
import { periodName } from '../../../i18n/periods.js';
import { describeError } from '../../../util/log.js';
import { refusalText } from '../../access.js';
import { personalError } from '../../messages/catalogs/errors.js';
import { homeText } from '../../messages/catalogs/home.js';
import { replyText } from '../../messages/catalogs/replies.js';
import { runThreadText } from '../../messages/catalogs/run-thread.js';
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
  language: Language,
): Promise<string> {
  const { ctx, schedules } = deps;
  const t = homeText[language];
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return `:lock: ${refusalText(decision.refusal, language)}`;
  const parsed = parseRunNowValue(value);
  const schedule = parsed ? schedules.get(parsed.scheduleId) : undefined;
  if (!parsed || !schedule) return t.stale;
  if (!schedule.enabled) return t.scheduleDisabled(schedule.id);
  if (!ctx.access.channelAllowed(schedule.channelId)) return `:lock: ${ctx.access.channelRefusal(language)}`;
  const channel = `<#${schedule.channelId}>`;

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
    const configuration = configurationName(started.run, language);
    const period = periodName(started.run.endsAt, language);
    const what = `${configuration}, ${period}`;
    const follow = started.link ? replyText[language].followTail(started.link) : '';
    ctx.logger.info('schedule run started from App Home', {
      scheduleId: schedule.id,
      runId: started.run.id,
      outcome: started.outcome,
      by: userId,
    });
    switch (started.outcome) {
      case 'joined':
        return t.joined(what, started.run.id, follow);
      case 'queued':
        return t.queued(configuration, period, started.run.id, follow);
      default:
        return t.started(started.run.id, what, channel, follow);
    }
  } catch (error) {
    ctx.logger.warn('schedule run from App Home failed', {
      ...describeError(error),
      scheduleId: schedule.id,
      by: userId,
    });
    return t.failedIn(channel, personalError(error, language, ctx.identity.userId));
  }
}

/** "Disable" from App Home: the same soft delete as `schedule remove`. */
export async function disableScheduleFromHome(
  deps: HomeDeps,
  userId: string,
  value: string,
  language: Language,
): Promise<string> {
  const { ctx, schedules } = deps;
  const t = homeText[language];
  const decision = await ctx.access.canRunExports(userId);
  if (!decision.allowed) return `:lock: ${refusalText(decision.refusal, language)}`;
  const id = /^\d{1,9}$/.test(value) ? Number(value) : 0;
  const result = schedules.disable(id, userId, ctx.clock.now());
  switch (result.outcome) {
    case 'not-found':
      return t.stale;
    case 'already-disabled':
      return t.alreadyDisabled(id);
    case 'disabled': {
      ctx.logger.info('schedule disabled from App Home', { scheduleId: id, by: userId });
      const { schedule } = result;
      const config = configurationName(schedule, language);
      return t.disabled(id, config, schedule.rule, `<#${schedule.channelId}>`);
    }
  }
}

export function registerHomeActions(app: App, deps: HomeDeps): void {
  const handlers = {
    [ACTION_HOME_RUN_NOW]: (client: WebClient, userId: string, value: string, language: Language) =>
      runScheduleNow(deps, client, userId, value, language),
    [ACTION_HOME_DISABLE]: (_client: WebClient, userId: string, value: string, language: Language) =>
      disableScheduleFromHome(deps, userId, value, language),
  };
  for (const [actionId, handle] of Object.entries(handlers)) {
    app.action<BlockButtonAction>(actionId, async ({ ack, body, action, client }) => {
      // Slack's 3-second limit: ack first. Home tab buttons have no response_url, so the answer is a
      // notice at the top of the re-published tab.
      await ack();
      const userId = body.user.id;
      const language = await deps.ctx.languages.of(userId);
      let notice: string;
      try {
        if (await isReplay(deps.ctx, clickKey(body, action))) {
          deps.ctx.logger.warn('a click Slack already delivered was sent again; ignored', { actionId });
          return;
        }
        notice = await handle(client, userId, action.value ?? '', language);
      } catch (error) {
        deps.ctx.logger.error('App Home button failed', { ...describeError(error), actionId, user: userId });
        notice = homeText[language].tryAgain;
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
