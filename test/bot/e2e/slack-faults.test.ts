/**
 * Slack itself failing the app: a response_url that answers 500 (the person must still be told,
 * by chat.postEphemeral), and chat.update rate limited (429, Retry-After) while runs have thread
 * replies and files to deliver.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ACTION_RETRY } from '../../../src/bot/messages/run-message.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../../helpers/app-harness.js';
import { blockActionPayload, sendInteraction } from '../../helpers/slack-requests.js';

/** A response_url that always answers 500, counting the replies it refused. */
async function brokenResponseUrl(): Promise<{ url: string; refused: () => number; close(): Promise<void> }> {
  let refused = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      refused++;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/commands/T0TEST/1/broken`,
    refused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a response_url that answers 500', () => {
  let h: Harness;
  let broken: Awaited<ReturnType<typeof brokenResponseUrl>>;
  before(async () => {
    h = await startHarness({ lucca: { buildMs: 'never' } });
    broken = await brokenResponseUrl();
  });
  after(async () => {
    await h.close();
    await broken.close();
  });

  test('a command reply goes by chat.postEphemeral to the same person in the same channel', async () => {
    await h.command('help', { responseUrl: broken.url });
    const sent = await eventually(
      () => h.slack.ephemerals.find((c) => /timesheet-export/.test(String(c.args.text))),
      'the help, by chat.postEphemeral',
    );
    assert.equal(sent.args.user, ANA);
    assert.equal(sent.args.channel, PAYROLL);
    assert.equal(broken.refused(), 1, 'the response_url was tried first');
  });

  test('a button answer goes by chat.postEphemeral too', async () => {
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun();
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      blockActionPayload({
        actionId: ACTION_RETRY,
        value: String(run.id),
        userId: ANA,
        channelId: PAYROLL,
        messageTs: run.threadTs!,
        responseUrl: broken.url,
      }),
    );
    assert.equal(ack.status, 200);
    const sent = await eventually(
      () => h.slack.ephemerals.find((c) => /nothing to retry/.test(String(c.args.text))),
      'the Retry answer, by chat.postEphemeral',
    );
    assert.equal(sent.args.user, ANA);
  });
});

describe('chat.update rate limited (429, Retry-After: 30)', () => {
  test('thread replies and the upload go on while parent updates wait; the parent catches up after Retry-After', {
    timeout: 60_000,
  }, async () => {
    const h = await startHarness({ lucca: { buildMs: 20_000 } });
    try {
      h.slack.failNext('chat.update', { status: 429, retryAfter: 30 }, 3);
      await h.command('payroll 2026-12-01');
      const run = await h.postedRun();
      // 25 s of the app's time: the export is built and delivered before Retry-After has passed.
      await h.advance(25_000, 5_000);
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      assert.equal(h.slack.uploads.filter((u) => u.completed).length, 1, 'the file is in the channel');
      const replies = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => String(m.text));
      assert.ok(
        replies.some((t) => /Delivered to/.test(t)),
        `the thread says delivered:\n${replies.join('\n')}`,
      );
      const updates = h.slack.callsTo('chat.update');
      assert.ok(
        updates.length >= 1 && updates.length <= 3,
        `every update so far was refused (${updates.length})`,
      );
      const parent = () => h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
      assert.doesNotMatch(JSON.stringify(parent()), /Delivered/, 'the parent is behind while rate limited');

      await h.advance(120_000, 10_000);
      assert.match(JSON.stringify(parent()), /Delivered/, 'the parent caught up');
    } finally {
      await h.close();
    }
  });
});
