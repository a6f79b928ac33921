import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebClient } from '@slack/web-api';
import { Notifier } from '../../../src/bot/notifier.js';
import { BUSY_TIMEOUT_MS } from '../../../src/store/busy.js';
import { openDatabase } from '../../../src/store/database.js';
import { Outbox } from '../../../src/store/outbox.js';
import { RunStore } from '../../../src/store/run-store.js';
import { BOT_TOKEN, eventually, type Harness, PAYROLL, startHarness } from '../../helpers/app-harness.js';

describe('what the channel sees', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ALLOWED_USERS: 'U0ANA,U0BEA' }, lucca: { buildMs: 'never' } });
  });
  after(() => h.close());

  test('asking again for a running export joins it: no second "Starting…" message flashes in the channel', async () => {
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun();
    await h.settle();
    const parentsBefore = h.slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts).length;

    const url = h.slack.responseUrl();
    await h.command('payroll 2026-12-01', { user: 'U0BEA', responseUrl: url });
    const answer = await eventually(() => h.slack.responses.find((r) => r.url === url), 'the answer');
    assert.match(String(answer.body.text), new RegExp(`already running: run ${run.id}`));
    await h.settle();

    const parents = h.slack.callsTo('chat.postMessage').filter((c) => !c.args.thread_ts).length;
    assert.equal(parents, parentsBefore, 'no second parent message was posted');
    assert.equal(h.slack.callsTo('chat.delete').length, 0, 'nothing posted and deleted');
    assert.equal(h.app.store.recent(10).length, 1, 'one run');
    const thread = h.slack.threadOf(PAYROLL, run.threadTs!).map((m) => m.text ?? '');
    assert.ok(
      thread.some((t) => /asked for the same export: joined this run/.test(t)),
      'the thread says who joined',
    );
  });
});

describe('what the channel sees when a second process shares the database', () => {
  test('a run recorded while the other process publishes the outbox has one parent message: the one its command posted', async () => {
    const h = await startHarness({ lucca: { buildMs: 'never' } });
    const db = openDatabase(h.env.DATABASE_PATH!, { busyTimeoutMs: BUSY_TIMEOUT_MS });
    const other = new Notifier({
      store: new Outbox(db, new RunStore(db)),
      client: new WebClient(BOT_TOKEN, { slackApiUrl: h.slack.url, retryConfig: { retries: 0 } }),
      channelAllowed: () => true,
      stallAfterMs: h.app.config.exports.stallAfterMs,
      language: 'en',
      clock: h.clock,
      workerId: 'the-other-process',
    });
    try {
      // A double deploy: the other process reads the outbox the moment the run is committed, before
      // this one has done anything more. A run without its thread yet would get a second parent.
      const drains: Promise<void>[] = [];
      h.app.engine.onEvent((event) => {
        if (event.type === 'requested') drains.push(other.drain());
      });
      await h.command('payroll 2026-12-01');
      const run = await h.postedRun();
      await eventually(() => drains.length === 1, 'the other process to read the outbox');
      await Promise.all(drains);
      await h.settle();

      const parents = h.slack.messagesIn(PAYROLL).filter((m) => !m.thread_ts);
      assert.equal(parents.length, 1, 'one parent message in the channel');
      assert.equal(h.app.store.get(run.id)!.threadTs, parents[0]!.ts, 'the run is followed in that message');
      assert.ok(parents[0]!.updates > 0, 'kept up to date, not left saying "Starting…"');
    } finally {
      await other.stop();
      db.close();
      await h.close();
    }
  });
});
