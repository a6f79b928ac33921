import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, PAYROLL, startHarness } from '../../helpers/app-harness.js';

describe('a bot token revoked while the app runs', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('logged once with the fix, /healthz 503, no retry loop; the run carries on after the restart', async () => {
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun();
    await h.settle();
    const health = await fetch(`${h.app.url}/healthz`);
    assert.equal(health.status, 200);

    // The token is revoked: every chat call is refused from now on.
    for (const method of ['chat.postMessage', 'chat.update'])
      h.slack.failNext(method, { error: 'token_revoked' }, 1000);
    const before = h.slack.calls.length;
    await h.advance(15 * 60_000, 10_000);
    assert.equal(h.app.store.get(run.id)!.state, 'done', 'the export itself went on (Lucca, the upload)');
    const chatCalls = h.slack.calls.slice(before).filter((c) => c.method.startsWith('chat.'));
    assert.ok(
      chatCalls.length <= 2,
      `Slack was called ${chatCalls.length} times in 15 minutes, not every 10 s`,
    );

    const refusals = h.logs.filter((line) => line.includes('Slack refused SLACK_BOT_TOKEN'));
    assert.equal(refusals.length, 1, 'logged once');
    assert.match(refusals[0]!, /token_revoked.*OAuth & Permissions.*SLACK_BOT_TOKEN.*restart/);
    const unhealthy = await fetch(`${h.app.url}/healthz`);
    assert.equal(unhealthy.status, 503);
    assert.match(await unhealthy.text(), /Slack refused SLACK_BOT_TOKEN \(token_revoked\)/);

    // The admin replaces the token and restarts: the thread catches up with what it missed.
    h.slack.reset();
    await h.restart();
    await h.settle();
    assert.equal((await fetch(`${h.app.url}/healthz`)).status, 200);
    const parent = h.slack.callsTo('chat.update').at(-1);
    assert.match(String(parent?.args.text), /Delivered/, 'the parent is brought up to date');
    assert.ok(
      h.slack
        .callsTo('chat.postMessage')
        .some((c) => c.args.channel === PAYROLL && /Delivered/.test(String(c.args.text))),
      'the missed milestones are posted',
    );
  });
});
