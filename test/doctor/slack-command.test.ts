import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually, type Harness, LUCCA_KEY, startHarness } from '../helpers/app-harness.js';

describe('/timesheet-export doctor in Slack', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.sim.configure(7, { exists: false });
  });
  after(() => h.close());

  test('an allowed user gets the checks as an ephemeral answer, problems with their fix', async () => {
    const ack = await h.command('doctor');
    assert.equal(ack.status, 200);
    const reply = await eventually(() => h.slack.responses.at(-1)?.body, 'the doctor answer');
    assert.equal(reply.response_type, 'ephemeral');
    const text = JSON.stringify(reply.blocks);
    for (const section of ['*Environment*', '*Slack*', '*Lucca*', '*Database*', '*Time zone*']) {
      assert.ok(text.includes(section), section);
    }
    assert.match(text, /:white_check_mark: Slack accepts SLACK_BOT_TOKEN/);
    assert.match(text, /:white_check_mark: payroll \(#3\): Lucca answered/);
    // The harness aliases overtime=7, which this Lucca does not have.
    assert.match(text, /:x: overtime \(#7\): Lucca has no such export configuration/);
    assert.match(reply.text, /Not ready: 1 problem to fix/);
    // The shapes of Lucca's answers (doctor --lucca): payroll has no export yet to read.
    assert.match(text, /\*Lucca's answers \(the client's assumptions\)\*/);
    assert.match(text, /payroll \(#3\): no export yet, so nothing to compare/);
    assert.ok(!JSON.stringify(reply).includes(LUCCA_KEY));
  });

  test('someone not in ALLOWED_USERS is refused before anything is checked', async () => {
    const before = h.sim.requests.length;
    const answers = h.slack.responses.length;
    await h.command('doctor', { user: 'U0STRANGER' });
    const reply = await eventually(() => h.slack.responses[answers]?.body, 'the refusal');
    assert.match(reply.text, /:lock:/);
    assert.equal(h.sim.requests.length, before);
  });
});
