/**
 * Only our workspace: the signing secret belongs to the app, not to a workspace, so a request from
 * another team can carry a valid signature (the app installed elsewhere, a leaked secret). Such a
 * request is acked (Slack shows no error) and does nothing: no run, no cancel, no message, no reply,
 * no Lucca request; even when the user id in it is one of ALLOWED_USERS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXPORT_MODAL_ID } from '../../src/bot/messages/export-modal.js';
import { ACTION_CANCEL } from '../../src/bot/messages/run-message.js';
import { fromOurWorkspace, teamOf } from '../../src/bot/workspace.js';
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

const OTHER_TEAM = 'T0ELSEWHERE';

/** A payload as the other workspace's Slack would send it: every team id is theirs. */
function fromOtherTeam(payload: object): object {
  const p = payload as Record<string, Record<string, unknown>>;
  return {
    ...p,
    team: { id: OTHER_TEAM, domain: 'elsewhere' },
    user: { ...p.user, team_id: OTHER_TEAM },
    ...(p.view ? { view: { ...p.view, team_id: OTHER_TEAM, app_installed_team_id: OTHER_TEAM } } : {}),
  };
}

describe('requests signed for another workspace', () => {
  let h: Harness;
  let runId: number;
  let snapshot: () => string;
  let refused = 0;
  /** The app logs each refusal: wait for it, rather than for some time. */
  const refusedSoFar = (count: number) =>
    eventually(
      () =>
        h.logs.filter((line) => line.includes('request from another Slack workspace refused')).length >=
        count,
      `${count} refusals`,
    );

  before(async () => {
    h = await startHarness({ lucca: { buildMs: 'never' } });
    await h.command('payroll 2026-12-01');
    runId = (await h.postedRun()).id;
    await h.settle();
    snapshot = () =>
      JSON.stringify({
        runs: h.app.store.recent(100).map((r) => [r.id, r.state, r.attempt]),
        lucca: h.sim.requests.length,
        channel: h.slack.messagesIn(PAYROLL).map((m) => [m.ts, m.updates]),
        replies: h.slack.responses.length,
        views: [h.slack.views.opened.length, Object.keys(h.slack.views.published).length],
      });
  });
  after(() => h.close());

  test('a command from another team, by a user id in ALLOWED_USERS, starts nothing and answers nothing', async () => {
    const before = snapshot();
    const ack = await sendSlashCommand(h.app.url!, SIGNING_SECRET, {
      text: 'overtime 2026-11-01',
      user_id: ANA,
      channel_id: PAYROLL,
      team_id: OTHER_TEAM,
      response_url: h.slack.responseUrl(),
    });
    assert.equal(ack.status, 200);
    await refusedSoFar(++refused);
    // The same command from our team goes through: the refusal is about the team.
    const url = h.slack.responseUrl();
    await h.command('status', { responseUrl: url });
    await eventually(() => h.slack.responses.find((r) => r.url === url), 'the answer from our team');
    await h.settle();
    const after = JSON.parse(snapshot()) as { replies: number };
    assert.equal(
      after.replies,
      (JSON.parse(before) as { replies: number }).replies + 1,
      'only ours answered',
    );
    assert.equal(h.app.store.recent(100).length, 1, 'no new run');
    assert.equal(h.sim.posts().length, 1, 'no new export in Lucca');
  });

  test('a Cancel click from another team leaves the run running', async () => {
    const before = snapshot();
    const run = h.app.store.get(runId)!;
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      fromOtherTeam(
        blockActionPayload({
          actionId: ACTION_CANCEL,
          value: String(runId),
          userId: ANA,
          channelId: PAYROLL,
          messageTs: run.threadTs!,
          responseUrl: h.slack.responseUrl(),
        }),
      ),
    );
    assert.equal(ack.status, 200);
    await refusedSoFar(++refused);
    await h.settle();
    assert.notEqual(h.app.store.get(runId)!.state, 'cancelled');
    assert.equal(snapshot(), before);
  });

  test('a modal submitted from another team starts nothing', async () => {
    const before = snapshot();
    const ack = await sendInteraction(
      h.app.url!,
      SIGNING_SECRET,
      fromOtherTeam(
        viewSubmissionPayload({
          callbackId: EXPORT_MODAL_ID,
          userId: ANA,
          values: {
            config_alias: { value: { type: 'static_select', selected_option: { value: 'overtime' } } },
          },
          privateMetadata: JSON.stringify({ channelId: PAYROLL }),
        }),
      ),
    );
    assert.equal(ack.status, 200);
    await refusedSoFar(++refused);
    await h.settle();
    assert.equal(snapshot(), before);
  });

  test('an App Home event from another team publishes nothing', async () => {
    const before = snapshot();
    const ack = await sendEvent(h.app.url!, SIGNING_SECRET, {
      token: 'test-verification-token',
      team_id: OTHER_TEAM,
      api_app_id: 'A0TEST',
      type: 'event_callback',
      event_id: 'Ev0ELSEWHERE',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user: ANA, channel: 'D0ANA', tab: 'home', event_ts: '1.000' },
      authorizations: [{ team_id: OTHER_TEAM, user_id: 'U0BOT', is_bot: true }],
    });
    assert.equal(ack.status, 200);
    await refusedSoFar(++refused);
    assert.equal(snapshot(), before);
  });

  test('teamOf reads the team where each kind of request carries it; no team is not ours', () => {
    assert.equal(teamOf({ team_id: 'T1' }), 'T1');
    assert.equal(teamOf({ team: { id: 'T2' }, user: { team_id: 'T3' } }), 'T2');
    assert.equal(teamOf({ user: { team_id: 'T3' } }), 'T3');
    assert.equal(teamOf({ view: { team_id: 'T4' } }), 'T4');
    assert.equal(fromOurWorkspace({}, 'T1'), false);
    assert.equal(fromOurWorkspace({ team_id: 'T1' }, 'T1'), true);
  });
});
