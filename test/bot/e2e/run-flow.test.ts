import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ACTION_CANCEL, ACTION_RETRY } from '../../../src/bot/messages/run-message.js';
import {
  ANA,
  BOT_TOKEN,
  eventually,
  type Harness,
  LUCCA_KEY,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../../helpers/app-harness.js';

const texts = (h: Harness) => h.slack.calls.map((c) => JSON.stringify(c.args)).join('\n');

describe('a signed /timesheet-export runs an export end to end', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('ack, one POST, parent message, thread replies, uploaded bytes equal the export file', async () => {
    const ack = await h.command('payroll 2026-12-01');
    assert.equal(ack.status, 200);
    const run = await h.postedRun();
    assert.equal(run.configurationId, 3);
    assert.equal(run.endsAt, '2026-12-01');
    assert.equal(run.channelId, PAYROLL);

    await h.settle();
    // Lucca builds it in 90 s (simulated): polling notices it.
    await h.advance(120_000);
    const done = h.app.store.get(run.id)!;
    assert.equal(done.state, 'done');

    const posts = h.sim.posts(3);
    assert.equal(posts.length, 1);
    assert.deepEqual(posts[0]!.body, { endsAt: '2026-12-01T00:00:00', configurationId: 3 });

    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
    assert.ok(parent, 'parent message posted in the channel');
    assert.match(JSON.stringify(parent.blocks), /payroll \(#3\)/);
    assert.match(JSON.stringify(parent.blocks), /Delivered/);
    const thread = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => m.text ?? '');
    assert.ok(
      thread.some((t) => /Asked Lucca to build the export/.test(t)),
      'triggered reply',
    );
    assert.ok(
      thread.some((t) => /Lucca finished export/.test(t)),
      'found reply with summary',
    );

    assert.equal(h.slack.uploads.length, 1);
    const upload = h.slack.uploads[0]!;
    assert.equal(upload.channel_id, PAYROLL);
    assert.ok(upload.completed);
    const onDisk = readFileSync(done.files[0]!.path);
    assert.deepEqual(upload.bytes, onDisk);
    assert.match(upload.initial_comment ?? '', /ready/);
  });

  test('nothing recorded anywhere contains the Lucca key or the bot token', () => {
    const everything = `${h.logs.join('\n')}\n${texts(h)}\n${JSON.stringify(h.slack.responses)}`;
    assert.ok(!everything.includes(LUCCA_KEY));
    assert.ok(!everything.includes(BOT_TOKEN));
    assert.ok(!everything.includes(SIGNING_SECRET));
  });
});

describe('stall, Retry (twice) and Cancel', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ lucca: { buildMs: 'never' } });
  });
  after(() => h.close());

  test('no export for an hour → stalled with a Retry button; two clicks start one new POST', async () => {
    await h.command('payroll');
    const run = await h.postedRun();
    await h.settle();
    await h.advance(61 * 60_000, 60_000);
    assert.equal(h.app.store.get(run.id)!.state, 'stalled');
    const thread = h.slack.threadOf(PAYROLL, run.threadTs!);
    assert.ok(
      thread.some((m) => JSON.stringify(m.blocks).includes(ACTION_RETRY)),
      'Retry button in the thread',
    );
    assert.equal(h.sim.posts(3).length, 1);

    h.sim.configure(3, { buildMs: 30_000 });
    const [first, second] = await Promise.all([h.click(ACTION_RETRY, run.id), h.click(ACTION_RETRY, run.id)]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await eventually(() => h.app.store.get(run.id)!.state !== 'stalled', 'the retry');
    await h.settle();
    assert.equal(h.app.store.get(run.id)!.attempt, 2);
    assert.equal(
      h.app.store.eventsOf(run.id).filter((e) => e.type === 'retried').length,
      1,
      'one retry recorded',
    );
    await h.advance(60_000);
    assert.equal(h.sim.posts(3).length, 2, 'exactly one new POST');
    assert.equal(h.app.store.get(run.id)!.state, 'done');
    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
    assert.match(JSON.stringify(parent.blocks), new RegExp(`Retry pressed by <@${ANA}>`));
  });

  test('Cancel stops a run; the parent says who cancelled', async () => {
    await h.command('overtime');
    const run = await h.postedRun((r) => r.configurationId === 7);
    await h.settle();
    await h.click(ACTION_CANCEL, run.id);
    await eventually(() => h.app.store.get(run.id)!.state === 'cancelled', 'cancelled');
    await h.settle();
    await h.advance(120_000);
    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
    assert.match(JSON.stringify(parent.blocks), /Cancelled by/);
    assert.equal(h.app.store.get(run.id)!.state, 'cancelled');
  });
});
