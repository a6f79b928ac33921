import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { viewSubmissionOf } from '../../../fakes/slack/view-submission.js';
import { ANA, eventually, type Harness, SIGNING_SECRET, startHarness } from '../../helpers/app-harness.js';
import { sendInteraction } from '../../helpers/slack-requests.js';

describe('feedback that reaches the person when the channel refuses the bot', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a modal submitted for a private channel the bot is not in: a direct message says to /invite it', async () => {
    // The modal was opened in a private channel the bot was never invited to.
    h.slack.setChannelMembers('G0SECRET', false);
    await h.command('', { channel: 'G0SECRET' });
    const view = await eventually(() => h.slack.views.opened[0], 'the modal');
    h.slack.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionOf(view, { userId: ANA, teamId: h.slack.teamId, choices: { config_alias: 'payroll' } }),
    );
    assert.equal(ack.status, 200);
    const dm = await eventually(
      () => h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === ANA),
      'a direct message to Ana',
    );
    assert.match(String(dm.args.text), /<#G0SECRET>/);
    assert.match(String(dm.args.text), /\/invite <@U0BOT>/);
    assert.equal(h.app.store.recent(10).length, 0, 'no run');
    assert.equal(h.sim.posts().length, 0, 'Lucca never asked');
  });
});
