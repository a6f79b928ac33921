import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { viewSubmissionOf } from '../../../fakes/slack/view-submission.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../../helpers/app-harness.js';
import { sendInteraction } from '../../helpers/slack-requests.js';

/** Slack answers usergroups.users.list with HTTP 500 `times` times: the WebClient retries for seconds. */
const slowGroups = (h: Harness, times: number) =>
  h.slack.failNext('usergroups.users.list', { status: 500 }, times);

describe('ack first, always', () => {
  let h: Harness;
  before(async () => {
    // Ana may run exports as a member of the payroll user group: checking that takes a Slack call.
    h = await startHarness({ env: { ALLOWED_USERS: 'U0CHEF,S0PAYROLL' } });
    h.slack.setUsergroup('S0PAYROLL', [ANA]);
  });
  after(() => h.close());

  test('a modal submission is acked before the user group is looked up; the run then starts', async () => {
    await h.command('', { user: 'U0CHEF' });
    const view = await eventually(() => h.slack.views.opened[0], 'the modal');
    slowGroups(h, 3);
    const payload = viewSubmissionOf(view, {
      userId: ANA,
      teamId: h.slack.teamId,
      choices: { config_alias: 'payroll', end_choice: 'last-month' },
    });
    const ack = await sendInteraction(h.app.url!, SIGNING_SECRET, payload);
    assert.equal(ack.status, 200);
    // Each refused lookup is retried by the WebClient; acking after the check would mean 4 calls by now.
    assert.ok(h.slack.callsTo('usergroups.users.list').length <= 1, 'acked before the access check');
    const run = await eventually(
      () => h.app.store.recent(10).find((r) => r.source === 'modal'),
      'the run of the modal',
      15_000,
    );
    assert.equal(run.requestedBy, ANA);
    assert.equal(run.channelId, PAYROLL);
  });

  test('an empty command opens the modal at once, even when four commands are still being worked on', async () => {
    h.slack.views.opened.length = 0;
    // Bob is not allowed: each of his four commands waits on a user-group lookup Slack keeps failing.
    await h.clock.advance(6 * 60_000); // past the cache of the group's members
    slowGroups(h, 16);
    const bob = Array.from({ length: 4 }, () => h.slack.responseUrl());
    await Promise.all(bob.map((url) => h.command('payroll', { user: 'U0BOB', responseUrl: url })));
    await h.command('', { user: 'U0CHEF' });
    await eventually(() => h.slack.views.opened[0], 'the modal', 15_000);
    const answered = h.slack.responses.filter((r) => bob.includes(r.url)).length;
    assert.equal(answered, 0, 'views.open did not wait behind the four commands');
    await eventually(
      () => h.slack.responses.filter((r) => bob.includes(r.url)).length === 4,
      'Bob answered',
      20_000,
    );
  });
});
