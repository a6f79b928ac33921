import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../util/log.js';
import type { BotContext } from './context.js';
import { registerRunActions } from './listeners/actions/run-actions.js';
import { registerCommand } from './listeners/commands/timesheet-export.js';
import { registerExportModal } from './listeners/views/export-modal.js';
import { slackLibraryLogger } from './slack-logger.js';
import type { SocketModeLink } from './socket-mode.js';
import { fromOurWorkspace, teamOf } from './workspace.js';

export interface SlackAppOptions {
  botToken: string;
  signingSecret: string | undefined;
  /** Set → Socket Mode (its receiver serves /healthz on `port`); unset → HTTP on `port` with `/slack/events`. */
  socketMode: SocketModeLink | undefined;
  port: number;
  apiUrl: string;
  logger: Logger;
  /** Answers GET /healthz: true when the database is reachable. */
  health: () => { ok: boolean; detail: Record<string, unknown> };
}

/**
 * The Bolt app: listeners registered from src/bot/listeners, /healthz as a custom route in both modes
 * (in Socket Mode Bolt serves custom routes on `installerOptions.port`).
 */
export function createSlackApp(
  options: SlackAppOptions,
  ctx: BotContext,
  register?: (app: App) => void,
): App {
  const healthRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      let status: { ok: boolean; detail: Record<string, unknown> };
      try {
        status = options.health();
      } catch {
        status = { ok: false, detail: { database: 'unreachable' } };
      }
      res.writeHead(status.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: status.ok ? 'ok' : 'unavailable', ...status.detail }));
    },
  };
  const common = {
    token: options.botToken,
    botId: ctx.identity.botId,
    botUserId: ctx.identity.userId,
    logger: slackLibraryLogger(options.logger, 'bolt'),
    clientOptions: {
      slackApiUrl: options.apiUrl,
      // The WebClient's default is 10 retries over ~30 minutes: too long for a person waiting on an answer.
      retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
    },
    customRoutes: [healthRoute],
  };
  const app = options.socketMode
    ? new App({
        token: common.token,
        botId: common.botId,
        botUserId: common.botUserId,
        logger: common.logger,
        clientOptions: common.clientOptions,
        socketMode: true,
        receiver: options.socketMode.receiver(common.customRoutes, common.logger),
      })
    : new App({
        token: common.token,
        botId: common.botId,
        botUserId: common.botUserId,
        logger: common.logger,
        clientOptions: common.clientOptions,
        receiver: rejectingFutureTimestamps(
          new HTTPReceiver({
            signingSecret: options.signingSecret ?? '',
            port: options.port,
            customRoutes: common.customRoutes,
            logger: common.logger,
          }),
        ),
      });
  app.use(async (args) => {
    if (fromOurWorkspace(args.body, ctx.identity.teamId)) return args.next();
    // Answered (Slack shows no error) and dropped: no listener sees it.
    options.logger.warn('request from another Slack workspace refused', {
      team: teamOf(args.body),
      type: (args.body as { type?: unknown }).type ?? 'command',
    });
    if ('ack' in args && typeof args.ack === 'function') await args.ack();
  });
  registerCommand(app, ctx);
  registerRunActions(app, ctx);
  registerExportModal(app, ctx);
  register?.(app);
  app.error(async (error) => {
    options.logger.error('unhandled Slack listener error', { error: error.message, code: error.code });
  });
  return app;
}

/** Slack's replay window (its signing guide): a request timestamp more than 5 minutes away from now. */
const MAX_TIMESTAMP_SKEW_SEC = 5 * 60;

/**
 * Bolt rejects request timestamps older than 5 minutes but accepts any in the future. Slack signs
 * with its current time, so a timestamp ahead of ours is a forgery or a replay that a skewed clock
 * would keep valid for longer: refused the same way, with 401 and no effect.
 */
export function rejectingFutureTimestamps(
  receiver: HTTPReceiver,
  now: () => number = Date.now,
): HTTPReceiver {
  const next = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(timestamp) && timestamp > now() / 1000 + MAX_TIMESTAMP_SKEW_SEC) {
      req.resume();
      res.writeHead(401);
      res.end();
      return;
    }
    next(req, res);
  };
  return receiver;
}
