/**
 * Only Slack can talk to the app: every request to /slack/events must carry Slack's signature over
 * its timestamp and body, with a timestamp within five minutes of now (either way). Anything else is
 * answered 401 and has no effect at all: no run, no message, no reply, no Lucca request.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EXPORT_MODAL_ID } from '../../src/bot/messages/export-modal.js';
import { ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { scheduleExtension } from '../../src/schedule-extension.js';
import { ANA, type Harness, PAYROLL, SIGNING_SECRET, startHarness } from '../helpers/app-harness.js';
import {
  blockActionPayload,
  type SendOptions,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
} from '../helpers/slack-requests.js';

const noCron = () => ({ stop() {}, destroy() {} });
const nowSec = () => Math.floor(Date.now() / 1000);

type Entry = (h: Harness, options: SendOptions) => Promise<{ status: number }>;

const ENTRY_POINTS: Record<string, Entry> = {
  'slash command': (h, o) =>
    sendSlashCommand(
      h.app.url!,
      SIGNING_SECRET,
      { text: 'payroll', user_id: ANA, channel_id: PAYROLL, response_url: h.slack.responseUrl() },
      o,
    ),
  'button (Retry)': (h, o) =>
    sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      blockActionPayload({
        actionId: ACTION_RETRY,
        value: '1',
        userId: ANA,
        channelId: PAYROLL,
        messageTs: '1.0',
        responseUrl: h.slack.responseUrl(),
      }),
      o,
    ),
  'modal submission': (h, o) =>
    sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionPayload({
        callbackId: EXPORT_MODAL_ID,
        userId: ANA,
        values: { config_alias: { value: { type: 'static_select', selected_option: { value: 'payroll' } } } },
        privateMetadata: JSON.stringify({ channelId: PAYROLL }),
      }),
      o,
    ),
  'event (App Home opened)': (h, o) =>
    sendEvent(
      h.app.url!,
      SIGNING_SECRET,
      { type: 'app_home_opened', user: ANA, channel: 'D0ANA', tab: 'home' },
      o,
    ),
};

const FORGERIES: Record<string, SendOptions> = {
  'a wrong signature': { badSignature: true },
  'a timestamp 6 minutes old (a replay)': { timestampSec: nowSec() - 6 * 60 },
  'a timestamp 6 minutes ahead': { timestampSec: nowSec() + 6 * 60 },
  'a timestamp a day ahead': { timestampSec: nowSec() + 86_400 },
  'no signature at all': { headers: { 'x-slack-signature': '' } },
  'a timestamp that is not a number': { headers: { 'x-slack-request-timestamp': 'yesterday' } },
};

describe('request signatures and the replay window', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ compose: { extend: (parts) => scheduleExtension(parts, { cron: noCron }) } });
  });
  after(() => h.close());

  const sideEffects = () =>
    JSON.stringify({
      runs: h.app.store.recent(100).length,
      calls: h.slack.calls.filter((c) => c.method !== 'auth.test').length,
      responses: h.slack.responses.length,
      lucca: h.sim.requests.length,
    });

  for (const [entry, send] of Object.entries(ENTRY_POINTS)) {
    for (const [forgery, options] of Object.entries(FORGERIES)) {
      test(`${entry} with ${forgery} → 401, no effect`, async () => {
        const before = sideEffects();
        const answer = await send(h, options);
        assert.equal(answer.status, 401);
        await new Promise((resolve) => setTimeout(resolve, 30));
        await h.settle();
        assert.equal(sideEffects(), before);
      });
    }
  }

  test('a signature over another body (tampered text) → 401', async () => {
    const before = sideEffects();
    const timestamp = String(nowSec());
    const signed = 'text=status&user_id=U0ANA';
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${signed}`).digest('hex')}`;
    const response = await fetch(`${h.app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-signature': signature,
        'x-slack-request-timestamp': timestamp,
      },
      body: 'text=payroll&user_id=U0ANA&command=%2Ftimesheet-export&channel_id=C0PAYROLL',
    });
    assert.equal(response.status, 401);
    assert.equal(sideEffects(), before);
  });

  test('a genuine command replayed within the window starts nothing twice (the run is joined)', async () => {
    const fields = {
      text: 'overtime 2026-12-01',
      user_id: ANA,
      channel_id: PAYROLL,
      response_url: h.slack.responseUrl(),
    };
    const timestampSec = nowSec();
    assert.equal((await sendSlashCommand(h.app.url!, SIGNING_SECRET, fields, { timestampSec })).status, 200);
    const run = await h.postedRun((r) => r.configurationId === 7);
    await h.settle();
    assert.equal((await sendSlashCommand(h.app.url!, SIGNING_SECRET, fields, { timestampSec })).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await h.settle();
    assert.equal(h.app.store.recent(100).filter((r) => r.configurationId === 7).length, 1);
    assert.equal(h.sim.posts(7).length, 1, 'one POST');
    assert.ok(h.app.store.eventsOf(run.id).some((e) => e.type === 'joined'));
  });
});
