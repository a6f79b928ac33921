import { SocketModeReceiver } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import type { FetchFunction } from '@slack/web-api';
import { AppError } from '../errors.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';

type CustomRoute = NonNullable<ConstructorParameters<typeof SocketModeReceiver>[0]['customRoutes']>[number];

/** Slack refused SLACK_APP_TOKEN: start-up stops with the fix instead of retrying for ever. */
export class SocketModeStartError extends AppError {}

const NEW_APP_TOKEN =
  "Generate an app-level token with the connections:write scope on the Slack app's Basic Information page (App-Level Tokens), set SLACK_APP_TOKEN to it (xapp-…) and start the app again.";

/**
 * apps.connections.open errors (docs.slack.dev/reference/methods/apps.connections.open) that no
 * retry can cure. @slack/socket-mode gives up on some of them (invalid_auth, not_authed…) but keeps
 * retrying others every 5 s for ever (not_allowed_token_type, token_revoked, missing_scope…).
 */
const REFUSED_APP_TOKEN: Record<string, string> = {
  invalid_auth: `Slack refused SLACK_APP_TOKEN (invalid_auth). ${NEW_APP_TOKEN}`,
  not_authed: `Slack received no SLACK_APP_TOKEN (not_authed). ${NEW_APP_TOKEN}`,
  token_revoked: `SLACK_APP_TOKEN has been revoked (token_revoked). ${NEW_APP_TOKEN}`,
  token_expired: `SLACK_APP_TOKEN has expired (token_expired). ${NEW_APP_TOKEN}`,
  account_inactive: `Slack refused SLACK_APP_TOKEN: the app or its workspace is no longer active (account_inactive). ${NEW_APP_TOKEN}`,
  not_allowed_token_type:
    "SLACK_APP_TOKEN is not an app-level token (not_allowed_token_type). Copy the xapp-… token from the Slack app's Basic Information page (App-Level Tokens), not the bot token (xoxb-…), and start the app again.",
  missing_scope: `SLACK_APP_TOKEN lacks the connections:write scope (missing_scope). ${NEW_APP_TOKEN}`,
  team_disabled: 'Slack refused SLACK_APP_TOKEN: the workspace is disabled (team_disabled).',
};

/** The socket may be down this long (a routine `refresh_requested` takes ~5 s) before /healthz turns 503. */
export const SOCKET_DOWN_GRACE_MS = 30_000;

export interface SocketModeHealth {
  ok: boolean;
  detail: { socket: 'connected' | 'connecting' | 'down'; reason?: string };
}

/**
 * The Socket Mode connection to Slack: Bolt's SocketModeReceiver, watched. Start-up waits only until
 * Slack accepts SLACK_APP_TOKEN (apps.connections.open answers a URL), not for the WebSocket: behind a
 * firewall that blocks it the app still delivers runs in progress (the Web API is plain HTTPS), and
 * /healthz says why no command can reach it.
 */
export class SocketModeLink {
  private state: SocketModeHealth['detail']['socket'] = 'connecting';
  private since: number;
  private everConnected = false;
  private lastError: string | undefined;
  private socketHost: string | undefined;
  private warned = false;
  /** Slack's refusal of the app token on the latest apps.connections.open, as a sentence. */
  private refusal: string | undefined;
  private stopping = false;
  private refused: ((error: SocketModeStartError) => void) | undefined;
  private accepted: (() => void) | undefined;
  private receiverInstance: SocketModeReceiver | undefined;

  constructor(
    private readonly options: {
      appToken: string;
      apiUrl: string;
      port: number;
      clock: Clock;
      logger: Logger;
      downGraceMs?: number;
    },
  ) {
    this.since = options.clock.now();
  }

  /** The receiver for Bolt's App, serving `customRoutes` (/healthz) on the port. Built once. */
  receiver(customRoutes: CustomRoute[], boltLogger: SlackLogger): SocketModeReceiver {
    if (this.receiverInstance) return this.receiverInstance;
    const receiver = new SocketModeReceiver({
      appToken: this.options.appToken,
      logger: boltLogger,
      customRoutes,
      // The client has a Web API client of its own, for apps.connections.open: without slackApiUrl it
      // would ignore SLACK_API_URL. Its answers are watched for a refused token (see `watch`).
      installerOptions: {
        port: this.options.port,
        clientOptions: {
          slackApiUrl: this.options.apiUrl,
          fetch: this.watch(),
        },
      },
    });
    const client = receiver.client;
    client.on('connected', () => this.connected());
    client.on('close', () => this.closed());
    client.on('error', (error: unknown) => this.failed(error));
    // @slack/socket-mode 3.1 reconnects with `this.start().then(…)` and no catch: stopping while a
    // reconnect is under way rejects that promise with undefined, unhandled (fixed upstream in 3.2,
    // not yet published here). A start that fails because we are stopping is dropped instead.
    const start = client.start.bind(client);
    client.start = () =>
      start().catch((error: unknown) => {
        if (this.stopping) return new Promise<never>(() => undefined);
        throw error;
      });
    this.receiverInstance = receiver;
    return receiver;
  }

  /**
   * Starts the receiver with `start` (Bolt's app.start) and resolves once Slack has accepted the app
   * token; throws a SocketModeStartError naming SLACK_APP_TOKEN and the fix when Slack refuses it.
   */
  async start(start: () => Promise<unknown>): Promise<void> {
    const decided = new Promise<void>((resolve, reject) => {
      this.accepted = resolve;
      this.refused = reject;
    });
    const connecting = start();
    const failure = connecting.then(
      () => undefined,
      (error: unknown) => {
        if (this.state === 'connected') return;
        throw new SocketModeStartError(
          'socket-mode-start',
          `Socket Mode could not start: ${describe(error)}. Check SLACK_APP_TOKEN and SLACK_API_URL, or run \`npm run doctor\`.`,
        );
      },
    );
    // Once start-up has moved on, a later rejection (stop() while connecting) is nobody's business.
    failure.catch(() => undefined);
    try {
      await Promise.race([decided, failure]);
    } catch (error) {
      await this.receiverInstance?.stop().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Stops the receiver with `stop` (Bolt's app.stop) and waits, at most `waitMs`, for the WebSocket's
   * close handshake: Bolt does not wait for it, and a process that moves on leaves the socket (and
   * the client's 30 s close timer) behind.
   */
  async stop(stop: () => Promise<unknown>, waitMs = 2_000): Promise<void> {
    const client = this.receiverInstance?.client;
    this.stopping = true;
    let timer: NodeJS.Timeout | undefined;
    const disconnected = new Promise<void>((resolve) => {
      client?.once('disconnected', () => resolve());
      timer = setTimeout(resolve, client ? waitMs : 0);
    });
    await stop();
    await disconnected;
    clearTimeout(timer);
  }

  health(): SocketModeHealth {
    if (this.state === 'connected') return { ok: true, detail: { socket: 'connected' } };
    // Revoked while running: the client retries every 5 s for ever, and no retry can succeed.
    if (this.refusal)
      return { ok: false, detail: { socket: 'down', reason: `Socket Mode: ${this.refusal}` } };
    const downMs = this.options.clock.now() - this.since;
    const grace = this.options.downGraceMs ?? SOCKET_DOWN_GRACE_MS;
    // A routine refresh is not an outage; before the first connection the app cannot take a command yet.
    if (this.everConnected && downMs < grace) return { ok: true, detail: { socket: 'down' } };
    const socket = downMs < grace ? 'connecting' : 'down';
    return { ok: false, detail: { socket, reason: this.reason(downMs, grace) } };
  }

  private reason(downMs: number, grace: number): string {
    const seconds = Math.round(downMs / 1000);
    if (downMs < grace) return `Socket Mode: connecting to Slack (${seconds} s so far)`;
    const where = this.socketHost ? ` to ${this.socketHost}` : '';
    return (
      `Socket Mode: no WebSocket connection to Slack for ${seconds} s, so slash commands and buttons cannot reach the app` +
      `${this.lastError ? ` (last error: ${this.lastError})` : ''}. ` +
      `Check that the firewall or proxy lets this machine open an outbound WebSocket${where} (wss, port 443).`
    );
  }

  /** A fetch that reads apps.connections.open answers: the WebSocket's host, or a refused token. */
  private watch(): FetchFunction {
    return async (url, init) => {
      const response = await fetch(url, init);
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { ok?: unknown; url?: unknown; error?: unknown } | undefined;
      if (body?.ok === true && typeof body.url === 'string') {
        // The host only: the URL's ticket is a credential for the socket.
        this.socketHost = safeHost(body.url);
        this.refusal = undefined;
        this.accepted?.();
      } else if (typeof body?.error === 'string') {
        const sentence = REFUSED_APP_TOKEN[body.error];
        if (sentence) {
          if (!this.refusal && this.everConnected)
            this.options.logger.error('Slack refused SLACK_APP_TOKEN', { reason: sentence });
          this.refusal = sentence;
          this.refused?.(new SocketModeStartError('slack-app-token', sentence));
        }
      }
      return response;
    };
  }

  private connected(): void {
    const downMs = this.options.clock.now() - this.since;
    this.options.logger.info(this.everConnected ? 'Socket Mode reconnected' : 'Socket Mode connected', {
      ...(this.everConnected ? { downMs } : {}),
      host: this.socketHost,
    });
    this.state = 'connected';
    this.everConnected = true;
    this.warned = false;
    this.lastError = undefined;
  }

  private closed(): void {
    if (this.state !== 'connected') return;
    this.state = 'down';
    this.since = this.options.clock.now();
    if (!this.stopping) this.options.logger.info('Socket Mode connection closed; reconnecting');
  }

  private failed(error: unknown): void {
    this.lastError = describe(error);
    if (this.state === 'connected') return;
    const grace = this.options.downGraceMs ?? SOCKET_DOWN_GRACE_MS;
    const downMs = this.options.clock.now() - this.since;
    if (!this.warned && downMs >= grace) {
      this.warned = true;
      this.options.logger.warn('Socket Mode is down', { reason: this.reason(downMs, grace) });
    }
  }
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/** An error's message and cause, without a stack or a WebSocket ticket. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error && error.cause.message !== error.message ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.replace(/ticket=[^&\s]+/g, 'ticket=…');
}
