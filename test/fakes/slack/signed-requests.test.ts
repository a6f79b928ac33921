/**
 * The request helpers and the stand-in against a real Bolt app (HTTP receiver): signed requests are
 * accepted and dispatched, badly signed or stale ones refused, and what the app sends back through
 * the Web API and response_urls lands in the stand-in.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { App, LogLevel } from '@slack/bolt';
import { type SlackStandIn, startSlackStandIn } from '../../../fakes/slack/index.js';
import {
  blockActionPayload,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  signBody,
  viewSubmissionPayload,
} from '../../helpers/slack-requests.js';

const SECRET = 'test-signing-secret';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), 'condition not met within 2 s');
}

describe('signed requests to a Bolt app backed by the stand-in', () => {
  let slack: SlackStandIn;
  let app: App;
  let appUrl: string;
  // biome-ignore lint/suspicious/noExplicitAny: handler arguments of several payload types, read field by field
  const seen: { kind: string; body: any }[] = [];

  before(async () => {
    slack = await startSlackStandIn();
    app = new App({
      token: slack.botToken,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.url, retryConfig: { retries: 0 } },
    });
    app.command('/timesheet-export', async ({ ack, command, respond }) => {
      seen.push({ kind: 'command', body: command });
      await ack();
      await respond({ response_type: 'ephemeral', text: `You asked: ${command.text}` });
    });
    app.action('retry_run', async ({ ack, body, action }) => {
      seen.push({ kind: 'action', body: { body, action } });
      await ack();
    });
    app.view('run_export', async ({ ack, view }) => {
      seen.push({ kind: 'view', body: view });
      await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [] } });
    });
    const server = (await app.start(0)) as { address(): AddressInfo | string | null };
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await app.stop();
    await slack.close();
  });
  beforeEach(() => {
    seen.length = 0;
    slack.reset();
  });

  test('signBody produces the v0 HMAC Slack documents', () => {
    // Slack's published example: secret 8f742231b10e8888abcd99yyyzzz85a5, timestamp 1531420618.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    assert.deepEqual(signBody('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618), {
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-slack-request-timestamp': '1531420618',
    });
  });

  test('a signed slash command is acked and its respond() reaches the response_url', async () => {
    const responseUrl = slack.responseUrl('cmd');
    const result = await sendSlashCommand(appUrl, SECRET, {
      text: 'payroll 2026-12-01',
      user_id: 'U1',
      channel_id: 'C1',
      response_url: responseUrl,
    });
    assert.equal(result.status, 200);
    assert.equal(seen[0]?.body.text, 'payroll 2026-12-01');
    assert.equal(seen[0]?.body.command, '/timesheet-export');
    await until(() => slack.responses.length === 1);
    assert.equal(slack.responses[0]?.body.text, 'You asked: payroll 2026-12-01');
  });

  test('a bad signature or a stale timestamp is refused before any handler runs', async () => {
    const bad = await sendSlashCommand(appUrl, SECRET, { text: 'help' }, { badSignature: true });
    const stale = await sendSlashCommand(
      appUrl,
      SECRET,
      { text: 'help' },
      { timestampSec: Math.floor(Date.now() / 1000) - 600 },
    );
    assert.equal(bad.status, 401);
    assert.equal(stale.status, 401);
    assert.equal(seen.length, 0);
  });

  test('a block_actions payload reaches the action handler with its value and message', async () => {
    const result = await sendInteraction(
      appUrl,
      SECRET,
      blockActionPayload({
        actionId: 'retry_run',
        value: '42',
        userId: 'U1',
        channelId: 'C1',
        messageTs: '1764000000.000100',
      }),
    );
    assert.equal(result.status, 200);
    assert.equal(seen[0]?.body.action.value, '42');
    assert.equal(seen[0]?.body.body.container.message_ts, '1764000000.000100');
    assert.equal(seen[0]?.body.body.user.id, 'U1');
  });

  test('a view_submission payload reaches the view handler with its state and metadata', async () => {
    const values = { config: { config_select: { type: 'static_select', selected_option: { value: '3' } } } };
    const result = await sendInteraction(
      appUrl,
      SECRET,
      viewSubmissionPayload({
        callbackId: 'run_export',
        userId: 'U1',
        values,
        privateMetadata: '{"channel":"C1"}',
      }),
    );
    assert.equal(result.status, 200);
    assert.deepEqual(seen[0]?.body.state.values, values);
    assert.equal(seen[0]?.body.private_metadata, '{"channel":"C1"}');
  });

  test('an event is wrapped in its envelope and the app publishes the Home tab to the stand-in', async () => {
    const result = await sendEvent(appUrl, SECRET, {
      type: 'app_home_opened',
      user: 'U1',
      channel: 'D1',
      tab: 'home',
    });
    assert.equal(result.status, 200);
    await until(() => slack.views.published.U1 !== undefined);
    assert.equal(slack.callsTo('views.publish')[0]?.token, slack.botToken);
  });
});
