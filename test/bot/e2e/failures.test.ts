import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_RETRY } from '../../../src/bot/messages/run-message.js';
import { BOT_TOKEN, LUCCA_KEY, PAYROLL, startHarness } from '../../helpers/app-harness.js';

describe('failures people can act on', () => {
  test('Lucca refuses the key → the thread says so in plain words; the key is in no message or log', async () => {
    const h = await startHarness();
    try {
      h.sim.failNext(
        { pathIncludes: 'timmiexports' },
        { status: 401, body: '{"Status":401,"Message":"Unauthorized"}' },
        50,
      );
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const failed = h.app.store.get(run.id)!;
      assert.equal(failed.state, 'failed');
      const thread = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => JSON.stringify(m.blocks));
      assert.ok(
        thread.some((t) => /API key/.test(t) && /LUCCA_API_KEY/.test(t)),
        thread.join('\n'),
      );
      assert.ok(
        thread.some((t) => t.includes(ACTION_RETRY)),
        'Retry offered',
      );
      const everything = [...h.logs, ...h.slack.calls.map((c) => JSON.stringify(c.args))].join('\n');
      assert.ok(!everything.includes(LUCCA_KEY));
      assert.ok(!everything.includes(BOT_TOKEN));
      assert.equal(h.sim.posts().length, 0, 'a refused baseline means no POST');
    } finally {
      await h.close();
    }
  });

  test('Slack upload answers 500 → the upload is retried from disk; Lucca builds one export', async () => {
    const h = await startHarness({ lucca: { buildMs: 10_000 } });
    try {
      h.slack.failUploadNext({ status: 500 }, 2);
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      await h.advance(10 * 60_000, 10_000);
      assert.equal(h.app.store.get(run.id)!.state, 'done');
      assert.equal(h.sim.posts().length, 1);
      // Header and files, then entries: one fetch is two requests, each made once.
      const fetches = h.sim.requests.filter((r) => /timmiexports\/\d+$/.test(r.path));
      assert.equal(fetches.length, 2, 'the export was fetched once');
      const completed = h.slack.uploads.filter((u) => u.completed);
      assert.equal(completed.length, 1, 'one file shared in the channel');
      const thread = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => m.text ?? '');
      assert.ok(thread.some((t) => /Upload failed/.test(t) && /Lucca is not asked again/.test(t)));
    } finally {
      await h.close();
    }
  });

  test('the app restarted mid-run on the same database delivers once, with no second POST', async () => {
    const h = await startHarness({ lucca: { buildMs: 5 * 60_000 } });
    try {
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      await h.advance(60_000);
      assert.equal(h.app.store.get(run.id)!.state, 'polling');
      // A deploy: the old process stops (releasing its lease), a new one on the same database takes over.
      await h.restart({ workerId: 'second-process' });
      await h.advance(10 * 60_000, 10_000);
      const done = h.app.store.get(run.id)!;
      assert.equal(done.state, 'done');
      assert.equal(h.sim.posts().length, 1);
      assert.equal(h.slack.uploads.filter((u) => u.completed).length, 1);
    } finally {
      await h.close();
    }
  });
});
