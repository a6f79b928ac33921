import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../../helpers/app-harness.js';
import { sendInteraction, sendSlashCommand, viewSubmissionPayload } from '../../helpers/slack-requests.js';

/** The ephemeral answer sent to a response_url, once it arrives. */
async function answerTo(h: Harness, url: string): Promise<string> {
  const found = await eventually(() => h.slack.responses.find((r) => r.url === url), `an answer on ${url}`);
  return String(found.body.text ?? '');
}

describe('slash command grammar, access and signatures', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ALLOWED_CHANNELS: `${PAYROLL},C0OTHER` } });
  });
  after(() => h.close());

  const bad: [string, RegExp][] = [
    ['payroll 2026-13-01', /2026-13-01/],
    ['payroll 2026-12-01T08:00:00', /midnight/],
    ['unknown-alias', /payroll/],
    ['-3', /./],
    ['x'.repeat(5000), /too long/],
  ];
  for (const [text, expected] of bad) {
    test(`"${text.slice(0, 30)}" gets an ephemeral explanation with an example, and Lucca hears nothing`, async () => {
      const url = h.slack.responseUrl();
      const before = h.sim.requests.length;
      const ack = await h.command(text, { responseUrl: url });
      assert.equal(ack.status, 200);
      const answer = await answerTo(h, url);
      assert.match(answer, expected);
      assert.match(answer, /For example: `\/timesheet-export /);
      const response = h.slack.responses.find((r) => r.url === url)!;
      assert.equal(response.body.response_type, 'ephemeral');
      assert.equal(h.sim.requests.length, before);
    });
  }

  test('help prints the grammar and the aliases', async () => {
    const url = h.slack.responseUrl();
    await h.command('help', { responseUrl: url });
    const answer = await answerTo(h, url);
    assert.match(answer, /payroll/);
    assert.match(answer, /schedule/);
  });

  test('a user not in ALLOWED_USERS is refused, told whom to ask, and nothing starts', async () => {
    const url = h.slack.responseUrl();
    const runs = h.app.store.recent(100).length;
    await h.command('payroll', { user: 'U0MALLORY', responseUrl: url });
    assert.match(await answerTo(h, url), /ALLOWED_USERS/);
    assert.equal(h.app.store.recent(100).length, runs);
    assert.equal(h.sim.posts().length, 0);
  });

  test('a channel outside ALLOWED_CHANNELS is refused and nothing is posted there', async () => {
    const url = h.slack.responseUrl();
    await h.command('payroll', { channel: 'C0RANDOM', responseUrl: url });
    assert.match(await answerTo(h, url), /only posted in/);
    assert.equal(h.slack.messagesIn('C0RANDOM').length, 0);
  });

  test('a wrong signature and a 10-minute-old timestamp are rejected before any work', async () => {
    const wrong = await sendSlashCommand(
      h.app.url!,
      SIGNING_SECRET,
      { text: 'payroll', user_id: 'U0ANA' },
      { badSignature: true },
    );
    assert.equal(wrong.status, 401);
    const stale = await sendSlashCommand(
      h.app.url!,
      SIGNING_SECRET,
      { text: 'payroll', user_id: 'U0ANA' },
      { timestampSec: Math.floor(Date.now() / 1000) - 600 },
    );
    assert.equal(stale.status, 401);
    assert.equal(h.app.store.recent(100).length, 0);
  });

  test('the same command twice in a second starts one run; the second person gets a link to it', async () => {
    const second = h.slack.responseUrl();
    await Promise.all([
      h.command('payroll 2026-11-01'),
      h.command('payroll 2026-11-01', { responseUrl: second }),
    ]);
    assert.match(await answerTo(h, second), /already running/);
    await h.settle();
    const runs = h.app.store.recent(100).filter((r) => r.endsAt === '2026-11-01');
    assert.equal(runs.length, 1);
    assert.equal(h.sim.posts(3).length, 1);
    // The second placeholder message was removed: one parent in the channel for this run.
    const parents = h.slack
      .messagesIn(PAYROLL)
      .filter((m) => !m.thread_ts && /payroll \(#3\)/.test(m.text ?? ''));
    assert.equal(parents.length, 1);
  });

  test('another end date for a busy configuration waits in the queue and says so', async () => {
    const url = h.slack.responseUrl();
    await h.command('payroll 2026-10-01', { responseUrl: url });
    assert.match(await answerTo(h, url), /starts when it ends/);
    const queued = h.app.store.recent(100).find((r) => r.endsAt === '2026-10-01')!;
    assert.equal(queued.state, 'queued');
  });

  test('an end date in the future starts a preview, and both the reply and the thread say so', async () => {
    const url = h.slack.responseUrl();
    await h.command('9 2027-06-01', { responseUrl: url });
    const answer = await answerTo(h, url);
    assert.match(
      answer,
      /^Started run \d+ \(configuration #9, May 2027\)\. :warning: Preview of a period that is not over: it runs until Mon 31 May 2027 and today is Tue 1 Dec 2026/,
    );
    await h.settle();
    const run = h.app.store.recent(100).find((r) => r.endsAt === '2027-06-01')!;
    const parent = await eventually(
      () =>
        h.slack
          .messagesIn(PAYROLL)
          .find((m) => m.ts === run.threadTs && /Preview/.test(JSON.stringify(m.blocks))),
      'the parent message with the preview note',
    );
    assert.match(JSON.stringify(parent.blocks), /Preview of a period that is not over/);
  });

  test('status lists the latest runs with links to their threads', async () => {
    const url = h.slack.responseUrl();
    await h.command('status', { responseUrl: url });
    const found = await eventually(() => h.slack.responses.find((r) => r.url === url), 'status');
    const text = JSON.stringify(found.body.blocks);
    assert.match(text, /November 2026|October 2026/);
    assert.match(text, /archives\/C0PAYROLL\/p\d+\|thread/);
  });

  test('an empty command opens the modal; submitting it starts the run in the original channel', async () => {
    await h.command('', { channel: 'C0OTHER' });
    const view = await eventually(
      () => h.slack.views.opened[0] as { callback_id: string; private_metadata: string },
      'modal',
    );
    assert.equal(view.callback_id, 'export_modal');
    const submitted = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionPayload({
        callbackId: 'export_modal',
        userId: 'U0ANA',
        privateMetadata: view.private_metadata,
        values: {
          config_alias: { value: { type: 'static_select', selected_option: { value: 'overtime' } } },
          config_number: { value: { type: 'number_input', value: null } },
          end_choice: { value: { type: 'radio_buttons', selected_option: { value: 'monday' } } },
          end_date: { value: { type: 'datepicker', selected_date: null } },
        },
      }),
    );
    assert.equal(submitted.status, 200);
    const run = await eventually(
      () => h.app.store.recent(100).find((r) => r.configurationId === 7),
      'modal run',
    );
    assert.equal(run.channelId, 'C0OTHER');
    assert.equal(run.endsAt, '2026-12-07', 'first Monday on or after 1 Dec 2026');
    assert.equal(run.source, 'modal');
    // On 1 Dec, up to Monday 7 Dec holds days that are not over: the person is told it is a preview.
    const told = await eventually(
      () => h.slack.ephemerals.find((call) => call.args.user === 'U0ANA' && call.args.channel === 'C0OTHER'),
      'the preview note',
    );
    assert.match(
      String(told.args.text),
      /^Started run \d+ \(overtime \(#7\), up to Mon 7 Dec 2026\)\. :warning: Preview of a period that is not over: it runs until Sun 6 Dec 2026/,
    );
  });

  test('a modal submitted without a configuration shows a field error and starts nothing', async () => {
    const before = h.app.store.recent(100).length;
    const submitted = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionPayload({
        callbackId: 'export_modal',
        userId: 'U0ANA',
        privateMetadata: JSON.stringify({ channelId: PAYROLL }),
        values: {
          end_choice: { value: { type: 'radio_buttons', selected_option: { value: 'last-month' } } },
        },
      }),
    );
    assert.equal(submitted.status, 200);
    const body = JSON.parse(submitted.body);
    assert.equal(body.response_action, 'errors');
    assert.ok(body.errors.config_alias);
    assert.equal(h.app.store.recent(100).length, before);
  });
});

describe('when the bot is not in the channel', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('the person is told to /invite the bot, and no export is started in Lucca', async () => {
    h.slack.setChannelMembers('C0SECRET', false);
    const url = h.slack.responseUrl();
    await h.command('payroll', { channel: 'C0SECRET', responseUrl: url });
    assert.match(await answerTo(h, url), /\/invite <@/);
    await h.settle();
    assert.equal(h.app.store.recent(10).length, 0);
    assert.equal(h.sim.posts().length, 0);
  });
});
