import type { App } from '@slack/bolt';
import { registerScheduleFeatures } from './bot/listeners/schedule-features.js';
import { missedOccurrenceMessage } from './bot/messages/home-view.js';
import { createScheduleCommands } from './bot/schedule-commands.js';
import { startRunInSlack } from './bot/start-run.js';
import type { AppParts } from './compose.js';
import { type CronFactory, Scheduler } from './schedule/scheduler.js';
import { ScheduleStore } from './store/schedule-store.js';
import { describeError } from './util/log.js';

export interface ScheduleExtension {
  schedules: ScheduleStore;
  scheduler: Scheduler;
  register: (app: App) => void;
  extensions: { schedule: ReturnType<typeof createScheduleCommands> };
  start: () => void;
  stop: () => Promise<void>;
}

/**
 * Schedules wired onto the app's parts: the `schedule …` commands, App Home, and the scheduler whose
 * runs go through the same startRunInSlack as a command (parent message first, then the run).
 * Pass as `composeApp(config, logger, { extend: scheduleExtension })`.
 */
export function scheduleExtension(parts: AppParts, options: { cron?: CronFactory } = {}): ScheduleExtension {
  const { config, access, client, engine, notifier, identity, clock } = parts;
  const logger = parts.logger.child({ component: 'schedule' });
  const timezone = config.schedule.timezone;
  const schedules = new ScheduleStore(parts.db);
  const scheduler = new Scheduler({
    store: schedules,
    clock,
    timezone,
    language: config.language,
    catchUpMs: config.schedule.catchUpMs,
    logger,
    channelAllowed: (channelId) => access.channelAllowed(channelId),
    alreadyExported: (configurationId, endsAt) => parts.store.doneRunFor(configurationId, endsAt),
    startRun: (request) =>
      startRunInSlack({ client, engine, identity, notifier, clock, language: config.language }, request),
    onMissed: async ({ schedule, occurrence }) => {
      if (!access.channelAllowed(schedule.channelId)) return;
      const message = missedOccurrenceMessage(schedule, occurrence, timezone, config.language);
      await client.chat.postMessage({ channel: schedule.channelId, ...message, unfurl_links: false });
    },
    ...(options.cron ? { cron: options.cron } : {}),
  });
  return {
    schedules,
    scheduler,
    register: (app) =>
      registerScheduleFeatures(app, {
        schedules,
        ctx: {
          engine,
          access,
          notifier,
          identity,
          timezone,
          language: config.language,
          languages: parts.languages,
          clock,
          logger,
          interactions: parts.interactions,
        },
      }),
    extensions: {
      schedule: createScheduleCommands({
        store: schedules,
        access,
        clock,
        timezone,
        channelLanguage: config.language,
        logger,
      }),
    },
    start: () => {
      // start() runs the catch-up tick, whose errors it logs; only node-cron itself could throw here.
      scheduler.start().catch((error) => logger.error('the scheduler did not start', describeError(error)));
    },
    stop: () => scheduler.stop(),
  };
}
