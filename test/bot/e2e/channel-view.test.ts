import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, type Harness, PAYROLL, startHarness } from '../../helpers/app-harness.js';

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
