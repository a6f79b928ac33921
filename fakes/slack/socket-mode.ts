/**
 * Socket Mode for the Slack stand-in: `apps.connections.open` and the WebSocket Slack sends payloads
 * over, on the stand-in's own HTTP server (upgrade requests to `/link/`), through `ws`.
 *
 * The protocol, from docs.slack.dev/apis/events-api/using-socket-mode and the method reference
 * docs.slack.dev/reference/methods/apps.connections.open:
 * - `apps.connections.open` takes an app-level token (`xapp-…`) "in the HTTP Authorization header …
 *   passing it as a POST parameter will result in an error", and answers `{ok:true, url}`. Errors used
 *   here, from its error table: `not_authed`, `invalid_auth`, `not_allowed_token_type` (a bot or user
 *   token), `missing_args` ("An app-level token wasn't provided"), `insecure_request` (not a POST).
 * - On connecting, Slack sends `hello` (`num_connections`, `debug_info.approximate_connection_time`,
 *   `connection_info.app_id`). Up to 10 connections may be open at once; a payload may go to any.
 * - Payloads come in envelopes `{payload, envelope_id, type, accepts_response_payload}` of type
 *   `slash_commands`, `interactive` or `events_api`; the app acknowledges each by sending back
 *   `{envelope_id, payload?}` — a payload only where `accepts_response_payload` is true.
 * - Slack asks the app to reconnect with `{type:'disconnect', reason}`: `refresh_requested` (every
 *   few hours), `warning` (about 10 s before), `link_disabled` (Socket Mode turned off), and
 *   `too_many_websockets` (the SDK's own tests list it; sent here to an 11th connection).
 * - Acknowledgement deadline: 3 s, as for HTTP ("you only have 3 seconds to respond before Slack
 *   registers a timeout error", docs.slack.dev/tools/bolt-python/concepts/acknowledge; slash commands:
 *   "within 3000 milliseconds", docs.slack.dev/interactivity/implementing-slash-commands).
 *
 * Strict: a late, unknown, repeated or malformed acknowledgement, a response payload where none is
 * accepted, an envelope that finds no open connection, a connection with a ticket never issued —
 * each is refused as Slack would and recorded in `violations`, so a test can assert there are none.
 * Not modelled (undocumented): Slack's retries of unacknowledged events, server pings.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** Slack's acknowledgement deadline (see above). */
export const ACK_DEADLINE_MS = 3_000;
/** "Socket Mode allows your app to maintain up to 10 open WebSocket connections at the same time." */
export const MAX_CONNECTIONS = 10;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export interface SocketAck {
  envelopeId: string;
  /** The acknowledgement's `payload`, when it carried a non-empty one. */
  payload?: Record<string, unknown>;
  /** Milliseconds from sending the envelope to its acknowledgement. */
  ms: number;
}

export interface SocketViolation {
  rule:
    | 'ack_timeout'
    | 'late_ack'
    | 'unknown_envelope'
    | 'duplicate_ack'
    | 'unexpected_response_payload'
    | 'invalid_message'
    | 'no_connection'
    | 'unknown_ticket';
  detail: string;
  envelopeId?: string;
  at: number;
}

/** What happened on the Socket Mode side, in order, with wall-clock times (for measuring reconnects). */
export interface SocketEvent {
  at: number;
  kind: 'url_issued' | 'open' | 'disconnect_sent' | 'closed' | 'envelope_sent' | 'ack';
  connection?: number;
  detail?: string;
}

/**
 * How the WebSocket behaves for a firewall test: `refuse` answers a URL on a port that refuses
 * connections; `hang` accepts the TCP connection but never completes the upgrade.
 */
export type Firewall = 'open' | 'refuse' | 'hang';

export interface SocketModeStandIn {
  /** The accepted app-level token. */
  appToken: string;
  /** Envelope acknowledgements received, in order. */
  acks: SocketAck[];
  violations: SocketViolation[];
  events: SocketEvent[];
  /** Connections open now. */
  openConnections(): number;
  /** Resolves once at least `count` connections are open (the client has had its `hello`). */
  waitForConnection(timeoutMs?: number, count?: number): Promise<void>;
  /**
   * Sends an envelope to an open connection; resolves with the acknowledgement, rejects (and records
   * a violation) when none comes within 3 s or no connection is open.
   */
  send(
    type: EnvelopeType,
    payload: object,
    options?: { acceptsResponsePayload?: boolean },
  ): Promise<SocketAck>;
  /** Sends `{type:'disconnect', reason}` to every open connection. */
  disconnect(reason?: DisconnectReason): void;
  firewall(mode: Firewall): void;
  reset(): void;
  close(): Promise<void>;
}

interface Pending {
  type: EnvelopeType;
  acceptsResponsePayload: boolean;
  sentAt: number;
  timer: NodeJS.Timeout;
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
}

interface Connection {
  id: number;
  ws: WebSocket;
  openedAt: number;
}

/** An `apps.connections.open` answer: the body Slack sends with HTTP 200. */
export type ConnectionsOpenAnswer = { ok: true; url: string } | { ok: false; error: string };

export interface SocketModeHook extends SocketModeStandIn {
  /** `apps.connections.open`, given what the request carried. */
  connectionsOpen(request: {
    httpMethod: string | undefined;
    bearer: string | null;
    bodyToken: string | null;
  }): ConnectionsOpenAnswer;
}

// A loopback port nobody listens on (discard): connections are refused at once.
const REFUSING_ORIGIN = 'ws://127.0.0.1:9';

/** Adds Socket Mode to the stand-in's HTTP server; `origin()` is `http://127.0.0.1:<port>`. */
export function attachSocketMode(
  server: Server,
  options: { appToken: string; appId: string; origin: () => string },
): SocketModeHook {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const connections = new Map<number, Connection>();
  const pending = new Map<string, Pending>();
  const settled = new Set<string>();
  const acks: SocketAck[] = [];
  const violations: SocketViolation[] = [];
  const events: SocketEvent[] = [];
  const hanging = new Set<Duplex>();
  let firewall: Firewall = 'open';
  let connectionCounter = 0;

  const waiters = new Set<() => void>();
  // Every event wakes the waiters (they check what they wait for themselves).
  const record = (event: Omit<SocketEvent, 'at'> & { at?: number }) => {
    events.push({ at: Date.now(), ...event });
    for (const waiter of waiters) waiter();
  };
  const violate = (rule: SocketViolation['rule'], detail: string, envelopeId?: string) => {
    violations.push({ rule, detail, at: Date.now(), ...(envelopeId ? { envelopeId } : {}) });
  };
  const sendJson = (ws: WebSocket, message: object) => ws.send(JSON.stringify(message));

  const onAck = (connection: Connection, raw: string) => {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      violate(
        'invalid_message',
        `connection ${connection.id} sent text that is not JSON: ${raw.slice(0, 200)}`,
      );
      return;
    }
    const id = typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    if (!id) {
      violate(
        'invalid_message',
        `connection ${connection.id} sent a message without envelope_id: ${raw.slice(0, 200)}`,
      );
      return;
    }
    const entry = pending.get(id);
    if (!entry) {
      const rule = settled.has(id) ? 'duplicate_ack' : 'unknown_envelope';
      // An acknowledgement after the deadline finds the envelope already given up on.
      const late = violations.some((v) => v.rule === 'ack_timeout' && v.envelopeId === id);
      violate(late ? 'late_ack' : rule, `acknowledgement for ${id}`, id);
      return;
    }
    pending.delete(id);
    settled.add(id);
    clearTimeout(entry.timer);
    const payload =
      message.payload && typeof message.payload === 'object' && Object.keys(message.payload).length > 0
        ? (message.payload as Record<string, unknown>)
        : undefined;
    if (payload && !entry.acceptsResponsePayload) {
      violate(
        'unexpected_response_payload',
        `${entry.type} envelope ${id} does not accept a response payload, got ${JSON.stringify(payload).slice(0, 200)}`,
        id,
      );
    }
    const ack: SocketAck = { envelopeId: id, ms: Date.now() - entry.sentAt, ...(payload ? { payload } : {}) };
    acks.push(ack);
    record({ kind: 'ack', connection: connection.id, detail: id });
    entry.resolve(ack);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/link/') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    if (firewall === 'hang') {
      // A middlebox that swallows the upgrade: the TCP connection stays open, no answer ever comes.
      hanging.add(socket);
      socket.on('close', () => hanging.delete(socket));
      return;
    }
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!tickets.has(ticket)) {
      violate(
        'unknown_ticket',
        `WebSocket with a ticket apps.connections.open never issued: ${ticket || '(none)'}`,
      );
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = { id: ++connectionCounter, ws, openedAt: Date.now() };
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          violate('invalid_message', `connection ${connection.id} sent a binary frame`);
          return;
        }
        onAck(connection, data.toString());
      });
      ws.on('close', () => {
        connections.delete(connection.id);
        record({ kind: 'closed', connection: connection.id });
      });
      ws.on('error', () => undefined);
      if (connections.size >= MAX_CONNECTIONS) {
        sendJson(ws, {
          type: 'disconnect',
          reason: 'too_many_websockets',
          debug_info: { host: 'applink-stand-in' },
        });
        ws.close();
        return;
      }
      connections.set(connection.id, connection);
      record({ kind: 'open', connection: connection.id });
      sendJson(ws, {
        type: 'hello',
        num_connections: connections.size,
        debug_info: {
          host: 'applink-stand-in',
          started: new Date().toISOString().replace('T', ' ').replace('Z', ''),
          build_number: 1,
          approximate_connection_time: 3600,
        },
        connection_info: { app_id: options.appId },
      });
    });
  };
  server.on('upgrade', onUpgrade);

  const hook: SocketModeHook = {
    appToken: options.appToken,
    acks,
    violations,
    events,
    openConnections: () => connections.size,
    waitForConnection: (timeoutMs = 10_000, count = 1) =>
      new Promise<void>((resolve, reject) => {
        if (connections.size >= count) {
          resolve();
          return;
        }
        const check = () => {
          if (connections.size < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no Socket Mode connection within ${timeoutMs} ms (${connections.size} open)`));
        }, timeoutMs);
        waiters.add(check);
      }),
    send: (type, payload, sendOptions = {}) =>
      new Promise<SocketAck>((resolve, reject) => {
        const envelopeId = randomUUID();
        // The newest connection: the one a reconnecting client has just opened.
        const connection = [...connections.values()].at(-1);
        if (!connection) {
          violate('no_connection', `a ${type} envelope found no open Socket Mode connection`, envelopeId);
          reject(new Error(`no open Socket Mode connection for a ${type} envelope`));
          return;
        }
        const acceptsResponsePayload = sendOptions.acceptsResponsePayload ?? type !== 'events_api';
        const sentAt = Date.now();
        const timer = setTimeout(() => {
          pending.delete(envelopeId);
          violate(
            'ack_timeout',
            `${type} envelope not acknowledged within ${ACK_DEADLINE_MS} ms`,
            envelopeId,
          );
          reject(new Error(`${type} envelope ${envelopeId} not acknowledged within ${ACK_DEADLINE_MS} ms`));
        }, ACK_DEADLINE_MS);
        pending.set(envelopeId, { type, acceptsResponsePayload, sentAt, timer, resolve, reject });
        record({ at: sentAt, kind: 'envelope_sent', connection: connection.id, detail: type });
        sendJson(connection.ws, {
          envelope_id: envelopeId,
          type,
          accepts_response_payload: acceptsResponsePayload,
          payload,
        });
      }),
    disconnect: (reason = 'refresh_requested') => {
      for (const connection of connections.values()) {
        record({ kind: 'disconnect_sent', connection: connection.id, detail: reason });
        sendJson(connection.ws, { type: 'disconnect', reason, debug_info: { host: 'applink-stand-in' } });
      }
    },
    firewall: (mode) => {
      firewall = mode;
      // Upgrades the old rule held are dropped, as a firewall's state table would on a rule change.
      if (mode !== 'hang') for (const socket of hanging) socket.destroy();
    },
    connectionsOpen: ({ httpMethod, bearer, bodyToken }) => {
      if (httpMethod !== 'POST') return { ok: false, error: 'insecure_request' };
      if (!bearer) return { ok: false, error: bodyToken ? 'missing_args' : 'not_authed' };
      if (!bearer.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      if (bearer !== options.appToken) return { ok: false, error: 'invalid_auth' };
      const ticket = randomUUID();
      tickets.add(ticket);
      record({ kind: 'url_issued' });
      const origin = firewall === 'refuse' ? REFUSING_ORIGIN : options.origin().replace(/^http/, 'ws');
      return { ok: true, url: `${origin}/link/?ticket=${ticket}&app_id=${options.appId}` };
    },
    reset: () => {
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
      settled.clear();
      acks.length = 0;
      violations.length = 0;
      events.length = 0;
      firewall = 'open';
    },
    close: async () => {
      server.off('upgrade', onUpgrade);
      for (const entry of pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(new Error('the Slack stand-in closed'));
      }
      pending.clear();
      for (const socket of hanging) socket.destroy();
      // Going away (1001), with a close handshake as Slack's servers do; terminated if the client is mute.
      await Promise.all(
        [...connections.values()].map(
          ({ ws }) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => ws.terminate(), 1_000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              ws.close(1001);
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return hook;
}
