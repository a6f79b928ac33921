/**
 * The in-process app (see app-harness.ts) in Socket Mode: SLACK_APP_TOKEN set, SLACK_API_URL at the
 * stand-in, whose apps.connections.open hands out a WebSocket on itself. Commands and clicks travel
 * as Socket Mode envelopes over that real WebSocket; /healthz is on a port of its own.
 */

import type { SocketAck } from '../../fakes/slack/socket-mode.js';
import type { Run } from '../../src/exports/types.js';
import { ANA, type Harness, PAYROLL, startHarness } from './app-harness.js';
import { freePort } from './free-port.js';
import { blockActionPayload, slashCommandPayload } from './slack-requests.js';

/** The app-level token the stand-in accepts unless told otherwise. */
export const APP_TOKEN = 'xapp-1-A0TEST-stand-in-app-token';

export interface SocketHarness extends Harness {
  /** Sends `/timesheet-export <text>` as a `slash_commands` envelope; resolves with the app's ack. */
  socketCommand(text: string, options?: { user?: string; channel?: string }): Promise<SocketAck>;
  /** Clicks a run's button as an `interactive` envelope. */
  socketClick(actionId: string, run: Run, options?: { user?: string }): Promise<SocketAck>;
  /** GET /healthz: status and parsed body. */
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Polls /healthz (real time, bounded) until `done` holds; fails with the last answer. */
  healthUntil(
    done: (health: { status: number; body: Record<string, unknown> }) => boolean,
    timeoutMs?: number,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /**
   * Resolves once the app itself says its socket is connected (it has had Slack's `hello`): the
   * stand-in sees a connection open before the client does, and a client stopped in between is
   * stopped mid-handshake.
   */
  connected(timeoutMs?: number): Promise<void>;
}

export async function startSocketHarness(
  options: Parameters<typeof startHarness>[0] = {},
): Promise<SocketHarness> {
  const port = await freePort();
  const h = await startHarness({
    ...options,
    env: { SLACK_APP_TOKEN: APP_TOKEN, ...options.env },
    compose: { port, ...options.compose },
  });
  const socket = h.slack.socketMode;
  const health = async () => {
    const response = await fetch(`${h.app.url}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const healthUntil: SocketHarness['healthUntil'] = async (done, timeoutMs = 5_000) => {
    const started = Date.now();
    for (;;) {
      const answer = await health();
      if (done(answer)) return answer;
      if (Date.now() - started > timeoutMs) {
        throw new Error(`/healthz stayed ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return Object.assign(h, {
    socketCommand: (text: string, o: { user?: string; channel?: string } = {}) =>
      socket.send(
        'slash_commands',
        slashCommandPayload({
          text,
          user_id: o.user ?? ANA,
          channel_id: o.channel ?? PAYROLL,
          response_url: h.slack.responseUrl(),
        }),
      ),
    socketClick: (actionId: string, run: Run, o: { user?: string } = {}) =>
      socket.send(
        'interactive',
        blockActionPayload({
          actionId,
          value: String(run.id),
          userId: o.user ?? ANA,
          channelId: run.channelId ?? PAYROLL,
          messageTs: run.threadTs ?? '1.000',
          responseUrl: h.slack.responseUrl(),
        }),
      ),
    health,
    healthUntil,
    connected: async (timeoutMs = 10_000) => {
      await socket.waitForConnection(timeoutMs);
      await healthUntil((answer) => answer.body.socket === 'connected', timeoutMs);
    },
  });
}
