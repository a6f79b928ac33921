import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

describe('the export modal, opened and submitted the way Slack does', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('an empty command opens a modal Slack accepts; submitting it delivers the file to the channel', async () => {
    const url = h.slack.responseUrl();
    const ack = await h.command('', { responseUrl: url });
    assert.equal(ack.status, 200);
    const view = await eventually(() => h.slack.views.opened[0], 'the modal');
    assert.deepEqual(h.slack.violations, [], 'Slack accepted the modal');
    assert.equal(h.slack.responses.length, 0, 'no "Something went wrong" answer');

    // The person picks "payroll" and "the Monday after month end", leaves the rest as it is.
    const payload = viewSubmissionOf(view, {
      userId: ANA,
      teamId: h.slack.teamId,
      choices: { config_alias: 'payroll', end_choice: 'monday' },
    });
    const submitted = await sendInteraction(h.app.url!, SIGNING_SECRET, payload);
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body, '', 'acked with no errors: the modal closes');

    const run = await h.postedRun();
    assert.equal(run.configurationId, 3);
    assert.equal(run.endsAt, '2026-12-07', 'first Monday on or after 1 Dec 2026');
    assert.equal(run.channelId, PAYROLL);
    assert.equal(run.source, 'modal');

    await h.settle();
    await h.advance(120_000);
    const done = h.app.store.get(run.id)!;
    assert.equal(done.state, 'done');
    assert.equal(h.sim.posts(3).length, 1, 'one export asked of Lucca');
    const upload = h.slack.uploads.find((u) => u.completed);
    assert.ok(upload, 'a file was delivered');
    assert.equal(upload.channel_id, PAYROLL);
    assert.deepEqual(upload.bytes, readFileSync(done.files[0]!.path));
  });

  test('a custom date with the date picker left empty is refused under that field, as Slack shows it', async () => {
    h.slack.views.opened.length = 0;
    await h.command('');
    const view = await eventually(() => h.slack.views.opened[0], 'the modal');
    const before = h.app.store.recent(100).length;
    const submitted = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionOf(view, {
        userId: ANA,
        teamId: h.slack.teamId,
        choices: { config_alias: 'overtime', end_choice: 'custom', end_date: null },
      }),
    );
    const body = JSON.parse(submitted.body);
    assert.equal(body.response_action, 'errors');
    assert.match(body.errors.end_date, /Pick the end date/);
    assert.equal(h.app.store.recent(100).length, before, 'nothing started');
  });
});
