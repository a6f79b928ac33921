/**
 * Who may do what, tried at every entry point by an outsider (a workspace member not in
 * ALLOWED_USERS): each attempt is refused with a sentence naming ALLOWED_USERS, and changes nothing:
 * no run, no schedule, no Lucca request, no message in the channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPORT_MODAL_ID } from '../../src/bot/messages/export-modal.js';
import { ACTION_HOME_DISABLE, ACTION_HOME_RUN_NOW } from '../../src/bot/messages/home-view.js';
import { ACTION_CANCEL, ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { scheduleExtension } from '../../src/schedule-extension.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/app-harness.js';
import {
  blockActionPayload,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
} from '../helpers/slack-requests.js';

const OUTSIDER = 'U0MALLORY';
const noCron = () => ({ stop() {}, destroy() {} });

describe('authorisation at every entry point', () => {
  let h: Harness;
  let runId: number;
  let scheduleId: number;
  /** Everything an outsider must not be able to change. */
  let snapshot: () => string;

  before(async () => {
    h = await startHarness({
      lucca: { buildMs: 'never' },
      compose: { extend: (parts) => scheduleExtension(parts, { cron: noCron }) },
    });
    // A run of Ana's that has stalled (Retry and Cancel buttons are live), and one of her schedules.
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun();
    runId = run.id;
    await h.settle();
    await h.advance(61 * 60_000, 60_000);
    assert.equal(h.app.store.get(runId)!.state, 'stalled');
    const schedules = new ScheduleStore(h.app.db);
    const created = schedules.create(
      {
        configurationId: 7,
        configurationLabel: 'overtime',
        rule: 'month-start',
        timeOfDay: '08:00',
        channelId: PAYROLL,
        createdBy: ANA,
      },
      h.clock.now(),
    );
    assert.equal(created.outcome, 'created');
    scheduleId = created.schedule.id;
    snapshot = () =>
      JSON.stringify({
        runs: h.app.store.recent(100).map((r) => [r.id, r.state, r.attempt]),
        schedules: schedules.listAll().map((s) => [s.id, s.enabled]),
        occurrences: schedules.occurrencesOf(scheduleId).length,
        lucca: h.sim.requests.length,
        channel: h.slack.messagesIn(PAYROLL).map((m) => [m.ts, m.updates]),
        views: h.slack.views.opened.length,
      });
  });
  after(() => h.close());

  async function commandAs(user: string, text: string): Promise<string> {
    const url = h.slack.responseUrl();
    const ack = await sendSlashCommand(h.app.url!, SIGNING_SECRET, {
      text,
      user_id: user,
      channel_id: PAYROLL,
      response_url: url,
    });
    assert.equal(ack.status, 200);
    const answer = await eventually(
      () => h.slack.responses.find((r) => r.url === url),
      `the answer to "${text}"`,
    );
    assert.equal(answer.body.response_type, 'ephemeral');
    return String(answer.body.text);
  }

  async function clickAs(user: string, actionId: string, value: string): Promise<string | undefined> {
    const url = h.slack.responseUrl();
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      blockActionPayload({
        actionId,
        value,
        userId: user,
        channelId: PAYROLL,
        messageTs: '1.000',
        responseUrl: url,
      }),
    );
    assert.equal(ack.status, 200);
    const answer = await eventually(
      () => h.slack.responses.find((r) => r.url === url) ?? h.slack.views.published[user],
      'an answer',
    );
    return 'body' in (answer as object)
      ? String((answer as { body: { text: unknown } }).body.text)
      : undefined;
  }

  for (const text of [
    'payroll',
    'overtime 2026-11-01',
    '',
    'retry RUN',
    'cancel RUN',
    'schedule add payroll month-start at 07:00',
    'schedule remove SCHEDULE',
  ]) {
    test(`command "${text || '(empty: the modal)'}" by an outsider is refused and changes nothing`, async () => {
      const before = snapshot();
      const answer = await commandAs(
        OUTSIDER,
        text.replace('RUN', String(runId)).replace('SCHEDULE', String(scheduleId)),
      );
      assert.match(answer, /not allowed/);
      assert.match(answer, /ALLOWED_USERS/);
      await h.settle();
      assert.equal(snapshot(), before);
    });
  }

  for (const actionId of [ACTION_RETRY, ACTION_CANCEL]) {
    test(`button ${actionId} by an outsider is refused and changes nothing`, async () => {
      const before = snapshot();
      const answer = await clickAs(OUTSIDER, actionId, String(runId));
      assert.match(answer ?? '', /ALLOWED_USERS/);
      await h.settle();
      assert.equal(snapshot(), before);
    });
  }

  for (const [actionId, value] of [
    [ACTION_HOME_RUN_NOW, () => `${scheduleId}:2026-12-01`],
    [ACTION_HOME_DISABLE, () => String(scheduleId)],
  ] as const) {
    test(`App Home button ${actionId} by an outsider is refused and changes nothing`, async () => {
      const before = snapshot();
      delete h.slack.views.published[OUTSIDER];
      await clickAs(OUTSIDER, actionId, value());
      const home = JSON.stringify(h.slack.views.published[OUTSIDER]);
      assert.match(home, /ALLOWED_USERS/, 'the re-published Home tab says why');
      await h.settle();
      assert.equal(snapshot(), before);
    });
  }

  test('the App Home tab of an outsider offers no buttons that act', async () => {
    delete h.slack.views.published[OUTSIDER];
    await sendEvent(h.app.url!, SIGNING_SECRET, {
      type: 'app_home_opened',
      user: OUTSIDER,
      channel: 'D0MAL',
      tab: 'home',
    });
    const home = JSON.stringify(await eventually(() => h.slack.views.published[OUTSIDER], 'the Home tab'));
    for (const actionId of [ACTION_HOME_RUN_NOW, ACTION_HOME_DISABLE, ACTION_RETRY, ACTION_CANCEL]) {
      assert.ok(!home.includes(actionId), `no ${actionId} button`);
    }
  });

  test('a modal submitted by an outsider is refused in the modal and starts nothing', async () => {
    const before = snapshot();
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      viewSubmissionPayload({
        callbackId: EXPORT_MODAL_ID,
        userId: OUTSIDER,
        values: {
          config_alias: { value: { type: 'static_select', selected_option: { value: 'overtime' } } },
        },
        privateMetadata: JSON.stringify({ channelId: PAYROLL }),
      }),
    );
    assert.equal(ack.status, 200);
    const answer = JSON.parse(ack.body) as { response_action: string; errors: Record<string, string> };
    assert.equal(answer.response_action, 'errors');
    assert.match(Object.values(answer.errors).join(' '), /ALLOWED_USERS/);
    await h.settle();
    assert.equal(snapshot(), before);
  });

  test('status is refused to an outsider: no requesters, no links into the payroll channel; help answers anyone', async () => {
    const answer = await commandAs(OUTSIDER, 'status');
    const reply = JSON.stringify(h.slack.responses.at(-1)!.body);
    assert.match(answer, /not allowed.*ALLOWED_USERS/);
    assert.ok(!reply.includes(ANA), 'no requester named');
    assert.ok(!reply.includes(PAYROLL), 'no link into the payroll channel');
    assert.doesNotMatch(reply, new RegExp(`run ${runId}`));
    assert.match(await commandAs(OUTSIDER, 'help'), /timesheet-export/);
    assert.match(await commandAs(ANA, 'status'), /Latest timesheet exports/, 'Ana still gets it');
  });

  test("the App Home tab of an outsider shows no one else's runs", async () => {
    delete h.slack.views.published[OUTSIDER];
    await sendEvent(h.app.url!, SIGNING_SECRET, {
      type: 'app_home_opened',
      user: OUTSIDER,
      channel: 'D0MAL',
      tab: 'home',
    });
    const home = JSON.stringify(await eventually(() => h.slack.views.published[OUTSIDER], 'the Home tab'));
    assert.ok(!home.includes(ANA), "Ana's run is not listed");
    assert.ok(!home.includes(h.app.store.get(runId)!.threadTs!.replace('.', '')), 'no thread link');
  });

  test('the same actions by Ana (in ALLOWED_USERS) go through: the refusals above are about the person', async () => {
    const answer = await commandAs(ANA, `cancel ${runId}`);
    assert.match(answer, /cancelled/);
    assert.equal(h.app.store.get(runId)!.state, 'cancelled');
  });
});

describe('ALLOWED_USERS unset: nobody may run exports', () => {
  test('even a would-be admin is told which variable to set', async () => {
    const h = await startHarness({ env: { ALLOWED_USERS: '' } });
    try {
      const url = h.slack.responseUrl();
      await h.command('payroll', { responseUrl: url });
      const answer = await eventually(() => h.slack.responses.find((r) => r.url === url), 'the answer');
      assert.match(String(answer.body.text), /Nobody may run exports yet.*ALLOWED_USERS/);
      assert.equal(h.app.store.recent(10).length, 0);
      assert.equal(h.sim.requests.length, 0);
    } finally {
      await h.close();
    }
  });
});

describe('user groups in ALLOWED_USERS', () => {
  test('a member of an allowed group may run; a group Slack cannot resolve grants nothing', async () => {
    const h = await startHarness({ env: { ALLOWED_USERS: 'S0PAYROLL,S0GONE' } });
    try {
      h.slack.setUsergroup('S0PAYROLL', ['U0BEA']);
      const member = h.slack.responseUrl();
      await h.command('payroll', { user: 'U0BEA', responseUrl: member });
      await h.postedRun();
      const other = h.slack.responseUrl();
      await h.command('overtime', { user: 'U0CAL', responseUrl: other });
      const refusal = await eventually(() => h.slack.responses.find((r) => r.url === other), 'the refusal');
      assert.match(String(refusal.body.text), /ALLOWED_USERS/);
      assert.deepEqual(
        h.app.store.recent(10).map((r) => r.requestedBy),
        ['U0BEA'],
      );
    } finally {
      await h.close();
    }
  });
});
