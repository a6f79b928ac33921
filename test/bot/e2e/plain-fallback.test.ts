import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, PAYROLL, startHarness } from '../../helpers/app-harness.js';

describe('a run message Slack refuses for its blocks is sent again as plain text', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a refused thread reply and a refused parent update reach the channel as text', async () => {
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun();
    await h.settle();
    const from = h.slack.calls.length;
    // The next reply and the next parent update are refused as Slack refuses blocks it dislikes.
    h.slack.failNext('chat.postMessage', { error: 'invalid_blocks' });
    h.slack.failNext('chat.update', { error: 'invalid_blocks' });
    await h.advance(120_000);
    assert.equal(h.app.store.get(run.id)!.state, 'done');

    const calls = h.slack.calls.slice(from);
    for (const method of ['chat.postMessage', 'chat.update']) {
      const mine = calls.filter((c) => c.method === method);
      const [refused, again] = mine;
      assert.ok(refused && again, `${method} was tried again`);
      assert.ok(
        Array.isArray(refused.args.blocks) && refused.args.blocks.length > 0,
        'the refused one had blocks',
      );
      assert.ok(
        again.args.blocks === undefined || (again.args.blocks as unknown[]).length === 0,
        'plain text',
      );
      assert.equal(again.args.text, refused.args.text, 'the same words');
    }
    const texts = h.slack.messagesIn(PAYROLL).map((m) => m.text ?? '');
    const replied = calls.find((c) => c.method === 'chat.postMessage')!;
    assert.ok(texts.includes(String(replied.args.text)), 'the reply is in the thread, as text');
    const parent = h.slack.messagesIn(PAYROLL).find((m) => m.ts === run.threadTs)!;
    assert.match(parent.text ?? '', /Delivered/, 'the parent ends at Delivered');
    assert.ok(
      h.logs.some((line) => line.includes('sent it again as plain text')),
      'logged, for a builder fix',
    );
  });
});
