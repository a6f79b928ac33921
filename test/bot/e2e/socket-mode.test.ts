/**
 * Socket Mode end to end, over a real WebSocket: the app (in process, manual clock for the engine)
 * with SLACK_APP_TOKEN, the Slack stand-in's apps.connections.open and WebSocket server. Wall-clock
 * figures (ack and reconnect times) are printed as diagnostics, never asserted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ACTION_CANCEL } from '../../../src/bot/messages/run-message.js';
import { eventually, PAYROLL } from '../../helpers/app-harness.js';
import { type SocketHarness, startSocketHarness } from '../../helpers/socket-mode-app.js';

/** Slack Web API calls by method, in first-call order. */
function callCounts(h: SocketHarness, from = 0): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of h.slack.calls.slice(from)) counts[call.method] = (counts[call.method] ?? 0) + 1;
  return counts;
}

describe('Socket Mode: a command runs an export end to end', { timeout: 120_000 }, () => {
  let h: SocketHarness;
  before(async () => {
    h = await startSocketHarness();
    await h.connected();
  });
  after(() => h.close());

  test('the command arrives as a slash_commands envelope, is acked, and the file is delivered', async (t) => {
    const before = h.slack.calls.length;
    const ack = await h.socketCommand('payroll 2026-12-01');
    t.diagnostic(`ack after ${ack.ms} ms`);
    const run = await h.postedRun();
    assert.equal(run.configurationId, 3);
    assert.equal(run.channelId, PAYROLL);
    await h.settle();
    await h.advance(120_000);
    const done = h.app.store.get(run.id)!;
    assert.equal(done.state, 'done');
    assert.equal(h.slack.uploads.length, 1);
    const upload = h.slack.uploads[0]!;
    assert.ok(upload.completed);
    assert.equal(upload.channel_id, PAYROLL);
    assert.deepEqual(upload.bytes, readFileSync(done.files[0]!.path));
    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
    assert.match(JSON.stringify(parent.blocks), /Delivered/);

    const counts = callCounts(h, before);
    t.diagnostic(`Slack Web API calls of one run in Socket Mode: ${JSON.stringify(counts)}`);
    assert.equal(counts['apps.connections.open'], undefined, 'no new WebSocket URL during the run');
    assert.equal(counts['files.completeUploadExternal'], 1);
    assert.deepEqual(h.slack.socketMode.violations, []);
  });

  test('a Cancel click arrives as an interactive envelope and cancels the run', async () => {
    await h.socketCommand('overtime');
    const run = await h.postedRun((r) => r.configurationId === 7);
    await h.settle();
    const ack = await h.socketClick(ACTION_CANCEL, run);
    assert.ok(ack.envelopeId);
    await eventually(() => h.app.store.get(run.id)!.state === 'cancelled', 'the run cancelled');
    assert.deepEqual(h.slack.socketMode.violations, []);
  });

  test('/healthz answers 200 and says the socket is connected', async () => {
    const health = await h.health();
    assert.equal(health.status, 200);
    assert.equal(health.body.mode, 'socket');
    assert.equal(health.body.socket, 'connected');
  });

  test('the app-level token travels only in the Authorization header and never reaches a log', () => {
    const opens = h.slack.callsTo('apps.connections.open');
    assert.equal(opens.length, 1);
    assert.equal(opens[0]!.token, h.slack.socketMode.appToken);
    assert.ok(!h.logs.join('\n').includes(h.slack.socketMode.appToken));
  });
});

describe('Socket Mode: Slack refreshes the connection in the middle of a run', { timeout: 120_000 }, () => {
  let h: SocketHarness;
  before(async () => {
    h = await startSocketHarness();
    await h.connected();
  });
  after(() => h.close());

  test('disconnect (refresh_requested): the run is delivered, the app reconnects, the next command works', async (t) => {
    const socket = h.slack.socketMode;
    await h.socketCommand('payroll 2026-12-01');
    const first = await h.postedRun();
    await h.settle();

    socket.disconnect('refresh_requested');
    const sent = socket.events.find((e) => e.kind === 'disconnect_sent')!;
    await eventually(() => socket.openConnections() === 0, 'the app to close the old connection');
    const closed = socket.events.find((e) => e.kind === 'closed')!;
    // While the socket is down, the run goes on: it needs only the Web API.
    await h.advance(120_000);
    assert.equal(h.app.store.get(first.id)!.state, 'done');
    assert.equal(h.slack.uploads.length, 1);

    await h.connected(20_000);
    const reopened = socket.events.filter((e) => e.kind === 'open').at(-1)!;
    t.diagnostic(
      `reconnect after refresh_requested: closed ${closed.at - sent.at} ms after the disconnect message, ` +
        `new connection open ${reopened.at - sent.at} ms after it`,
    );
    assert.equal(h.slack.callsTo('apps.connections.open').length, 2, 'a fresh URL for the new connection');

    await h.socketCommand('overtime');
    const second = await h.postedRun((run) => run.configurationId === 7);
    await h.settle();
    await h.advance(120_000);
    assert.equal(h.app.store.get(second.id)!.state, 'done');
    assert.equal(h.slack.uploads.length, 2);
    assert.deepEqual(socket.violations, []);
    const health = await h.health();
    assert.equal(health.status, 200);
    assert.equal(health.body.socket, 'connected');
  });
});

describe('Socket Mode behind a firewall that blocks the WebSocket', { timeout: 120_000 }, () => {
  for (const mode of ['refuse', 'hang'] as const) {
    test(`${mode === 'refuse' ? 'a port that refuses' : 'an upgrade that never completes'}: /healthz answers 503 with the reason, and runs in progress are still delivered`, async (t) => {
      const h = await startSocketHarness();
      try {
        await h.connected();
        await h.socketCommand('payroll 2026-12-01');
        const run = await h.postedRun();
        await h.settle();

        // The app restarts on a machine whose firewall lets HTTPS through but not the WebSocket.
        h.slack.socketMode.firewall(mode);
        await h.restart();
        const starting = await h.health();
        assert.equal(starting.status, 503);
        assert.equal(starting.body.socket, 'connecting');
        assert.match(String(starting.body.reason), /connecting to Slack/);

        // Start-up did not wait for the socket: the run goes on and its file is delivered.
        await h.advance(120_000);
        assert.equal(h.app.store.get(run.id)!.state, 'done');
        assert.equal(h.slack.uploads.length, 1);

        const down = await h.health();
        t.diagnostic(
          `/healthz with the socket blocked (${mode}): ${down.status} ${JSON.stringify(down.body)}`,
        );
        assert.equal(down.status, 503);
        assert.equal(down.body.socket, 'down');
        assert.match(String(down.body.reason), /no WebSocket connection to Slack for 120 s/);
        assert.match(String(down.body.reason), /slash commands and buttons cannot reach the app/);
        assert.match(String(down.body.reason), /firewall or proxy/);
        if (mode === 'refuse') {
          assert.match(String(down.body.reason), /127\.0\.0\.1:9/, 'names the host Slack gave');
          // The client keeps trying every 5 s; the outage is logged once, with the same reason.
          await eventually(
            () => h.logs.some((line) => line.includes('"Socket Mode is down"')),
            'the outage in the log',
            15_000,
          );
        }
        assert.equal(h.slack.socketMode.openConnections(), 0);
        assert.ok(!JSON.stringify(down.body).includes('ticket='), 'the WebSocket ticket stays private');

        // The firewall opens: the client's next attempt (every 5 s) connects and /healthz is 200 again.
        // (Stopping the app mid-handshake instead would leave @slack/socket-mode 3.1's 30 s close
        // timer behind, keeping this test file alive.)
        h.slack.socketMode.firewall('open');
        await h.connected(20_000);
        const back = await h.healthUntil((health) => health.status === 200);
        assert.equal(back.body.socket, 'connected');
      } finally {
        await h.close();
      }
    });
  }
});

describe('Socket Mode: SLACK_APP_TOKEN revoked while the app runs', { timeout: 120_000 }, () => {
  test('the next reconnection is refused: /healthz answers 503 naming SLACK_APP_TOKEN, logged once', async () => {
    const h = await startSocketHarness();
    try {
      await h.connected();
      h.slack.failNext('apps.connections.open', { error: 'token_revoked' }, 100);
      h.slack.socketMode.disconnect('refresh_requested');
      const down = await h.healthUntil((health) => health.status === 503, 20_000);
      assert.equal(down.body.socket, 'down');
      assert.match(String(down.body.reason), /SLACK_APP_TOKEN has been revoked \(token_revoked\)/);
      assert.match(String(down.body.reason), /App-Level Tokens/);
      const refusals = () => h.logs.filter((line) => line.includes('"Slack refused SLACK_APP_TOKEN"'));
      assert.equal(refusals().length, 1);
      // A new token (here: Slack accepting again) and the app reconnects by itself.
      h.slack.reset();
      await h.connected(20_000);
      assert.equal(refusals().length, 1, 'the refusal is logged once, not at every retry');
    } finally {
      await h.close();
    }
  });
});

describe('Socket Mode: Slack refuses SLACK_APP_TOKEN', { timeout: 120_000 }, () => {
  for (const code of ['invalid_auth', 'token_revoked', 'not_allowed_token_type']) {
    test(`${code}: start-up stops with a sentence naming SLACK_APP_TOKEN and the fix`, async () => {
      const h = await startSocketHarness();
      try {
        await h.connected();
        // @slack/socket-mode gives up on invalid_auth but retries token_revoked and
        // not_allowed_token_type every 5 s for ever: both must stop start-up.
        h.slack.failNext('apps.connections.open', { error: code }, 100);
        await assert.rejects(h.restart(), (error: Error & { code?: string }) => {
          assert.equal(error.code, 'slack-app-token');
          assert.match(error.message, new RegExp(`SLACK_APP_TOKEN.*\\(${code}\\)`));
          assert.match(error.message, /App-Level Tokens/);
          assert.doesNotMatch(error.message, /Something went wrong/);
          return true;
        });
        assert.equal(h.slack.callsTo('apps.connections.open').length, 2, 'no retry after the refusal');
      } finally {
        await h.close();
      }
    });
  }
});
