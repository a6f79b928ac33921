import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type BetterSqlite3 from 'better-sqlite3';
import { AccessControl } from './bot/access.js';
import { createSlackApp } from './bot/app.js';
import type { BotContext, CommandExtensions } from './bot/context.js';
import { SlackDelivery } from './bot/delivery.js';
import { Notifier } from './bot/notifier.js';
import type { BotIdentity } from './bot/ports.js';
import {
  BOT_TOKEN_FIX,
  isSlackAuthError,
  SlackTokenHealth,
  slackErrorCode,
  slackHttpStatus,
} from './bot/slack-errors.js';
import { slackLibraryLogger } from './bot/slack-logger.js';
import { SocketModeLink } from './bot/socket-mode.js';
import { UserLanguages } from './bot/user-language.js';
import { createEngine, defaultDeliveryFolder } from './compose-engine.js';
import type { Config } from './config.js';
import { doctorCommand } from './doctor/slack-command.js';
import { AppError } from './errors.js';
import type { ExportEngine } from './exports/engine.js';
import { FolderDelivery } from './exports/folder-delivery.js';
import { RoutingDelivery } from './exports/routing-delivery.js';
import type { LuccaApi } from './lucca/types.js';
import { BUSY_TIMEOUT_MS } from './store/busy.js';
import { openDatabase } from './store/database.js';
import { DeliveryReceiptStore } from './store/delivery-receipts.js';
import { DatabaseWatch } from './store/health.js';
import { InteractionStore } from './store/interaction-store.js';
import { Outbox } from './store/outbox.js';
import { RunStore } from './store/run-store.js';
import { type Clock, systemClock } from './util/clock.js';
import type { Logger } from './util/log.js';

export class StartupError extends AppError {}

export interface ComposeOptions {
  clock?: Clock;
  workerId?: string;
  /** Tests drive the engine with tick(); production runs its loop. */
  startEngine?: boolean;
  /** HTTP mode: 0 picks a free port (tests). Socket Mode serves /healthz there. Defaults to config.slack.port. */
  port?: number;
  lucca?: LuccaApi;
  /** Extra listeners and command handlers (schedules, App Home) wired by main. */
  extend?: (parts: AppParts) => {
    register?: (app: App) => void;
    extensions?: CommandExtensions;
    stop?: () => Promise<void> | void;
    start?: () => void;
  };
}

/** The pieces of a running app, for main's shutdown and for end-to-end tests. */
export interface AppParts {
  config: Config;
  db: BetterSqlite3.Database;
  store: RunStore;
  /** The run events not yet told in Slack (tests wait for it to empty). */
  outbox: Outbox;
  engine: ExportEngine;
  notifier: Notifier;
  access: AccessControl;
  client: WebClient;
  identity: BotIdentity;
  clock: Clock;
  logger: Logger;
  interactions: InteractionStore;
  /** Each person's language for what they read alone (users.info `locale`, else APP_LANGUAGE). */
  languages: UserLanguages;
}

export interface RunningApp extends AppParts {
  app: App;
  /** `http://127.0.0.1:<port>` in HTTP mode; in Socket Mode, where /healthz is, when the port was not 0. */
  url: string | undefined;
  stop(): Promise<void>;
}

/** Slack's WebClient retries for ~30 min by default: too long for people waiting on a thread. */
export const SLACK_RETRY = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 };

/** Asks Slack who we are; a bad token stops start-up with the fix, not a stack trace. */
export async function identify(client: WebClient): Promise<BotIdentity> {
  try {
    const auth = await client.auth.test();
    return {
      userId: auth.user_id ?? '',
      botId: auth.bot_id ?? '',
      teamId: auth.team_id ?? '',
      workspaceUrl: auth.url,
    };
  } catch (error) {
    const code = slackErrorCode(error);
    if (isSlackAuthError(error)) {
      throw new StartupError('slack-auth', `Slack refused SLACK_BOT_TOKEN (${code}). ${BOT_TOKEN_FIX}`);
    }
    const status = slackHttpStatus(error);
    if (status !== undefined) {
      throw new StartupError(
        'slack-http-error',
        `Slack answered HTTP ${status} to the bot token check at SLACK_API_URL: the network works, but something (a proxy, or a SLACK_API_URL that is not Slack's API) refused the request. Run \`npm run doctor\`.`,
      );
    }
    throw new StartupError(
      'slack-unreachable',
      `Could not reach Slack at SLACK_API_URL to check the bot token${code ? ` (${code})` : ''}. Check the network and SLACK_API_URL.`,
    );
  }
}

/** config → store → Lucca client → engine → bot. Starts listening; returns the parts and a stop(). */
export async function composeApp(
  config: Config,
  logger: Logger,
  options: ComposeOptions = {},
): Promise<RunningApp> {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(config.databasePath, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  try {
    const databaseWatch = new DatabaseWatch(db, config.databasePath);
    const store = new RunStore(db);
    const outbox = new Outbox(db, store);
    const slackLogger = logger.child({ component: 'slack' });
    const client = new WebClient(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: SLACK_RETRY,
      logger: slackLibraryLogger(slackLogger, 'web-api'),
    });
    const identity = await identify(client);
    const access = new AccessControl(
      config.access,
      async (groupId) => (await client.usergroups.users.list({ usergroup: groupId })).users ?? [],
      clock,
    );
    const channelAllowed = (channelId: string) => access.channelAllowed(channelId);
    const languages = personalLanguages(config, clock, logger, slackLogger);
    const tokenHealth = new SlackTokenHealth((message, fields) => slackLogger.error(message, fields));
    const notifier = new Notifier({
      tokenHealth,
      store: outbox,
      client,
      updateClient: new WebClient(config.slack.botToken, {
        slackApiUrl: config.slack.apiUrl,
        retryConfig: SLACK_RETRY,
        rejectRateLimitedCalls: true,
        logger: slackLibraryLogger(slackLogger, 'web-api'),
      }),
      channelAllowed,
      stallAfterMs: config.exports.stallAfterMs,
      language: config.language,
      timezone: config.schedule.timezone,
      clock,
      logger: logger.child({ component: 'notifier' }),
      // A crashed process's turn at the outbox runs out as fast as its leases on runs (EXPORT_LEASE).
      ...(config.exports.leaseMs !== undefined ? { turnMs: config.exports.leaseMs } : {}),
    });
    const receipts = new DeliveryReceiptStore(db);
    // Runs started from the command line have no channel: they go to the folder their note names
    // (the CLI may have died and left them to this process).
    const delivery = new RoutingDelivery({
      channel: new SlackDelivery({
        client,
        identity,
        channelAllowed,
        receipts,
        language: config.language,
        now: () => clock.now(),
        logger: logger.child({ component: 'delivery' }),
      }),
      noChannel: new FolderDelivery({
        defaultFolder: defaultDeliveryFolder(config),
        receipts,
        now: () => clock.now(),
        logger: logger.child({ component: 'folder-delivery' }),
      }),
    });
    const { engine, lucca } = createEngine(config, {
      store,
      delivery,
      logger,
      clock,
      ...(options.lucca ? { lucca: options.lucca } : {}),
      ...(options.workerId ? { workerId: options.workerId } : {}),
    });
    engine.onEvent(() => notifier.wake());

    const interactions = new InteractionStore(db);
    const parts: AppParts = {
      config,
      db,
      store,
      outbox,
      engine,
      notifier,
      access,
      client,
      identity,
      clock,
      logger,
      interactions,
      languages,
    };
    const extension = options.extend?.(parts) ?? {};
    const ctx: BotContext = {
      engine,
      access,
      notifier,
      identity,
      aliases: config.exports.configurations,
      timezone: config.schedule.timezone,
      language: config.language,
      languages,
      stallAfterMs: config.exports.stallAfterMs,
      clock,
      logger: logger.child({ component: 'bot' }),
      extensions: { doctor: doctorCommand(config, { lucca, clock }), ...extension.extensions },
      interactions,
    };
    const port = options.port ?? config.slack.port;
    const socketMode = config.slack.appToken
      ? new SocketModeLink({
          appToken: config.slack.appToken,
          apiUrl: config.slack.apiUrl,
          port,
          clock,
          logger: logger.child({ component: 'socket-mode' }),
        })
      : undefined;
    const app = createSlackApp(
      {
        botToken: config.slack.botToken,
        signingSecret: config.slack.signingSecret,
        socketMode,
        port,
        apiUrl: config.slack.apiUrl,
        logger: logger.child({ component: 'slack' }),
        health: () => {
          const problem = databaseWatch.problem() ?? tokenHealth.problem();
          if (problem) return { ok: false, detail: { reason: problem } };
          const socket = socketMode?.health();
          return {
            ok: socket?.ok ?? true,
            detail: {
              mode: config.slack.appToken ? 'socket' : 'http',
              activeRuns: store.unfinished().length,
              ...socket?.detail,
            },
          };
        },
      },
      ctx,
      extension.register,
    );

    let url: string | undefined;
    if (socketMode) {
      await socketMode.start(() => app.start());
      if (port !== 0) url = `http://127.0.0.1:${port}`;
    } else {
      const server = (await app.start(port)) as import('node:http').Server;
      const address = server.address();
      if (address && typeof address === 'object') url = `http://127.0.0.1:${address.port}`;
    }
    if (options.startEngine !== false) engine.start();
    extension.start?.();
    notifier.wake();
    logger.info('timesheet-export is running', {
      mode: config.slack.appToken ? 'socket' : 'http',
      port,
      workerId: engine.workerId,
      team: identity.teamId,
    });

    let stopped = false;
    return {
      ...parts,
      app,
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        // Stop taking requests first, then let the engine finish its writes and release its leases.
        const stopApp = () => app.stop().catch(() => undefined);
        await (socketMode ? socketMode.stop(stopApp) : stopApp());
        await extension.stop?.();
        await engine.stop();
        await notifier.stop();
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * users.info with include_locale, on a client of its own: one try, a short timeout, no waiting out a
 * rate limit (a person's language is worth less than their answer). Without the optional users:read
 * scope Slack answers missing_scope and everyone reads APP_LANGUAGE.
 */
function personalLanguages(config: Config, clock: Clock, logger: Logger, slackLogger: Logger): UserLanguages {
  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 2_000,
    logger: slackLibraryLogger(slackLogger, 'web-api'),
  });
  return new UserLanguages({
    fallback: config.language,
    clock,
    logger: logger.child({ component: 'languages' }),
    lookup: async (user) => (await client.users.info({ user, include_locale: true })).user?.locale,
  });
}
