import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { currentOccurrenceOf, nextOccurrenceOf } from '../../../schedule/schedule-occurrences.js';
import type { ScheduleStore } from '../../../store/schedule-store.js';
import { describeError } from '../../../util/log.js';
import { refusalText } from '../../access.js';
import type { BotContext } from '../../context.js';
import { type HomeSchedule, homeView } from '../../messages/home-view.js';

/** What the App Home listeners need: the bot's context and the schedules. */
export interface HomeDeps {
  ctx: Pick<
    BotContext,
    | 'engine'
    | 'access'
    | 'notifier'
    | 'identity'
    | 'timezone'
    | 'language'
    | 'languages'
    | 'clock'
    | 'logger'
    | 'interactions'
  >;
  schedules: ScheduleStore;
}

const RECENT_RUNS = 10;

/** The enabled schedules with what the Home tab shows of each: next occurrence, Run now's period, last outcome. */
export function homeSchedules(store: ScheduleStore, now: number, timezone: string): HomeSchedule[] {
  return store.listEnabled().map((schedule) => ({
    schedule,
    next: nextOccurrenceOf(schedule, now, timezone),
    current: currentOccurrenceOf(schedule, now, timezone),
    last: store.latestOccurrence(schedule.id),
  }));
}

/** Builds the viewer's Home tab from the store as it is now and publishes it. */
export async function publishHome(
  client: WebClient,
  userId: string,
  deps: HomeDeps,
  notice?: string,
): Promise<void> {
  const { ctx, schedules } = deps;
  const decision = await ctx.access.canRunExports(userId);
  // The Home tab is the viewer's alone: in their language (events are acked before this runs).
  const language = await ctx.languages.of(userId);
  const now = ctx.clock.now();
  const view = homeView({
    // Runs name their requesters and link into the payroll channel: the rest see only their own.
    runs: decision.allowed
      ? ctx.engine.recent(RECENT_RUNS)
      : ctx.engine
          .recent(100)
          .filter((run) => run.requestedBy === userId)
          .slice(0, RECENT_RUNS),
    schedules: homeSchedules(schedules, now, ctx.timezone),
    canRun: decision.allowed,
    refusal: decision.allowed ? undefined : refusalText(decision.refusal, language),
    language,
    now,
    timezone: ctx.timezone,
    workspaceUrl: ctx.identity.workspaceUrl,
    notice,
  });
  await client.views.publish({ user_id: userId, view });
}

export function registerAppHome(app: App, deps: HomeDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    // The event also fires for the Messages and About tabs.
    if (event.tab && event.tab !== 'home') return;
    try {
      await publishHome(client, event.user, deps);
    } catch (error) {
      deps.ctx.logger.error('could not publish the App Home tab', {
        ...describeError(error),
        user: event.user,
      });
    }
  });
}
