import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { type SlackStandIn, startSlackStandIn } from '../../../fakes/slack/index.js';

/** A raw Socket Mode client: the messages it received, and a way to answer. */
interface RawClient {
  ws: WebSocket;
  messages: Record<string, unknown>[];
  next(type?: string): Promise<Record<string, unknown>>;
  send(message: unknown): void;
  close(): Promise<void>;
}

async function connect(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const messages: Record<string, unknown>[] = [];
  const waiting: { type: string | undefined; resolve: (m: Record<string, unknown>) => void }[] = [];
  let seen = 0;
  const deliver = () => {
    for (const waiter of [...waiting]) {
      const index = messages.findIndex((m, i) => i >= seen && (!waiter.type || m.type === waiter.type));
      if (index === -1) continue;
      seen = index + 1;
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(messages[index]!);
    }
  };
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
    deliver();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    next: (type) =>
      new Promise((resolve) => {
        waiting.push({ type, resolve });
        deliver();
      }),
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

describe('Slack stand-in: Socket Mode', { timeout: 120_000 }, () => {
  let slack: SlackStandIn;
  const clients: RawClient[] = [];

  before(async () => {
    slack = await startSlackStandIn();
  });
  after(() => slack.close());
  beforeEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    slack.reset();
  });

  const open = async (
    headers: Record<string, string> = { authorization: `Bearer ${slack.socketMode.appToken}` },
    body = '',
    method = 'POST',
  ) => {
    const response = await fetch(`${slack.url}apps.connections.open`, {
      method,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      ...(method === 'POST' ? { body } : {}),
    });
    return (await response.json()) as { ok: boolean; url?: string; error?: string };
  };
  const connected = async () => {
    const answer = await open();
    const client = await connect(answer.url!);
    clients.push(client);
    await client.next('hello');
    return client;
  };

  test('apps.connections.open takes the app-level token in the Authorization header only', async () => {
    assert.deepEqual(await open({}), { ok: false, error: 'not_authed' });
    assert.deepEqual(await open({}, `token=${slack.socketMode.appToken}`), {
      ok: false,
      error: 'missing_args',
    });
    assert.deepEqual(await open({ authorization: `Bearer ${slack.botToken}` }), {
      ok: false,
      error: 'not_allowed_token_type',
    });
    assert.deepEqual(await open({ authorization: 'Bearer xapp-1-A0OTHER-wrong' }), {
      ok: false,
      error: 'invalid_auth',
    });
    const good = await open();
    assert.equal(good.ok, true);
    assert.match(good.url!, /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}&app_id=A0TEST$/);
    assert.equal(slack.callsTo('apps.connections.open').length, 5, 'every call recorded');
  });

  test('apps.connections.open by GET is refused (insecure_request)', async () => {
    assert.deepEqual(await open(undefined, '', 'GET'), { ok: false, error: 'insecure_request' });
  });

  test('a connection gets hello with the documented fields', async () => {
    const client = await connected();
    const hello = client.messages[0]!;
    assert.equal(hello.type, 'hello');
    assert.equal(hello.num_connections, 1);
    assert.deepEqual(hello.connection_info, { app_id: 'A0TEST' });
    assert.equal((hello.debug_info as Record<string, unknown>).approximate_connection_time, 3600);
    assert.equal(slack.socketMode.openConnections(), 1);
  });

  test('a WebSocket with a ticket never issued is refused and recorded', async () => {
    const url = (await open()).url!.replace(/ticket=[^&]+/, 'ticket=forged');
    await assert.rejects(connect(url), /401/);
    assert.deepEqual(
      slack.socketMode.violations.map((v) => v.rule),
      ['unknown_ticket'],
    );
  });

  test('an envelope is acknowledged by envelope_id, with a response payload where accepted', async () => {
    const client = await connected();
    const sent = slack.socketMode.send('slash_commands', { command: '/timesheet-export', text: 'help' });
    const envelope = await client.next('slash_commands');
    assert.equal(envelope.accepts_response_payload, true);
    assert.deepEqual(envelope.payload, { command: '/timesheet-export', text: 'help' });
    client.send({ envelope_id: envelope.envelope_id, payload: { text: 'Usage…' } });
    const ack = await sent;
    assert.equal(ack.envelopeId, envelope.envelope_id);
    assert.deepEqual(ack.payload, { text: 'Usage…' });
    assert.deepEqual(slack.socketMode.violations, []);
  });

  test('a response payload to an events_api envelope, a repeated ack and an unknown one are violations', async () => {
    const client = await connected();
    const sent = slack.socketMode.send('events_api', {
      type: 'event_callback',
      event: { type: 'app_home_opened' },
    });
    const envelope = await client.next('events_api');
    assert.equal(envelope.accepts_response_payload, false);
    client.send({ envelope_id: envelope.envelope_id, payload: { text: 'not accepted here' } });
    await sent;
    client.send({ envelope_id: envelope.envelope_id, payload: {} });
    client.send({ envelope_id: 'never-sent' });
    client.send('not json');
    await waitFor(() => slack.socketMode.violations.length === 4);
    assert.deepEqual(
      slack.socketMode.violations.map((v) => v.rule),
      ['unexpected_response_payload', 'duplicate_ack', 'unknown_envelope', 'invalid_message'],
    );
  });

  test('an envelope not acknowledged within 3 s is given up on; the late ack is a violation', async () => {
    const client = await connected();
    const sent = slack.socketMode.send('interactive', { type: 'block_actions' });
    const envelope = await client.next('interactive');
    await assert.rejects(sent, /not acknowledged within 3000 ms/);
    client.send({ envelope_id: envelope.envelope_id });
    await waitFor(() => slack.socketMode.violations.length === 2);
    assert.deepEqual(
      slack.socketMode.violations.map((v) => v.rule),
      ['ack_timeout', 'late_ack'],
    );
  });

  test('an envelope with no open connection is lost, and recorded', async () => {
    await assert.rejects(slack.socketMode.send('slash_commands', {}), /no open Socket Mode connection/);
    assert.deepEqual(
      slack.socketMode.violations.map((v) => v.rule),
      ['no_connection'],
    );
  });

  test('disconnect sends the reason to every open connection', async () => {
    const a = await connected();
    const b = await connected();
    slack.socketMode.disconnect('refresh_requested');
    for (const client of [a, b]) {
      const message = await client.next('disconnect');
      assert.equal(message.reason, 'refresh_requested');
    }
    assert.equal(slack.socketMode.events.filter((e) => e.kind === 'disconnect_sent').length, 2);
  });

  test('an 11th connection is told too_many_websockets and closed', async () => {
    for (let i = 0; i < 10; i++) await connected();
    const eleventh = await connect((await open()).url!);
    clients.push(eleventh);
    const message = await eleventh.next();
    assert.deepEqual(message.type, 'disconnect');
    assert.equal(message.reason, 'too_many_websockets');
    await new Promise<void>((resolve) => eleventh.ws.once('close', () => resolve()));
    assert.equal(slack.socketMode.openConnections(), 10);
  });

  test('firewall: refuse hands out a URL on a refusing port; hang never completes the upgrade', async () => {
    slack.socketMode.firewall('refuse');
    await assert.rejects(connect((await open()).url!), /ECONNREFUSED/);
    slack.socketMode.firewall('hang');
    const ws = new WebSocket((await open()).url!, { handshakeTimeout: 300 });
    await assert.rejects(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
      /timed out/i,
    );
  });
});

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
