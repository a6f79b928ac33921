import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { viewSubmissionOf } from '../../../fakes/slack/view-submission.js';
import { ACTION_HOME_DISABLE } from '../../../src/bot/messages/home-view.js';
import { ACTION_CANCEL, ACTION_RETRY } from '../../../src/bot/messages/run-message.js';
import { localToUtc } from '../../../src/schedule/rules.js';
import type { CronFactory } from '../../../src/schedule/scheduler.js';
import { type ScheduleExtension, scheduleExtension } from '../../../src/schedule-extension.js';
import {
  ANA,
  eventually,
  type Harness,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../../helpers/app-harness.js';
import { englishWordsIn, textsOf } from '../../helpers/english-words.js';
import { blockActionPayload, sendEvent, sendInteraction } from '../../helpers/slack-requests.js';

/** node-cron replaced: nothing fires on its own during the run. */
const noCron: CronFactory = () => ({ stop: () => undefined, destroy: () => undefined });
const MALLORY = 'U0MALLORY';
const MARIE = 'U0MARIE';

type LanguageHarness = Harness & { ext: ScheduleExtension };

async function harness(env: Record<string, string>): Promise<LanguageHarness> {
  let ext: ScheduleExtension | undefined;
  const h = await startHarness({
    env: { ALLOWED_USERS: `${ANA},${MARIE}`, ...env },
    compose: {
      extend: (parts) => {
        ext = scheduleExtension(parts, { cron: noCron });
        return ext;
      },
    },
  });
  return Object.assign(h, { ext: ext! });
}

/** The app's answer to a command (the response_url), as Slack received it. */
async function answer(h: Harness, text: string, user = ANA): Promise<{ text: string; blocks?: unknown[] }> {
  const url = h.slack.responseUrl();
  await h.command(text, { responseUrl: url, user });
  return (await eventually(() => h.slack.responses.find((r) => r.url === url), `the answer to "${text}"`))
    .body;
}

async function openHome(h: Harness, user: string): Promise<unknown> {
  delete h.slack.views.published[user];
  await sendEvent(h.app.url!, SIGNING_SECRET, {
    type: 'app_home_opened',
    user,
    channel: 'D0HOME',
    tab: 'home',
  });
  return eventually(() => h.slack.views.published[user], 'the Home tab');
}

/**
 * The issue's run: a delivered export, a stall with Retry, a schedule, a bad command, an unauthorised
 * user, the modal (refused field, then submitted), App Home and its buttons, status, help, Cancel.
 * Returns what the app answered in HTTP bodies (the modal's field errors), which Slack shows too.
 */
async function playEverything(h: LanguageHarness): Promise<unknown[]> {
  const acks: unknown[] = [];
  await answer(h, 'help');
  await answer(h, 'payroll 2026-02-30');
  await answer(h, 'payroll', MALLORY);
  await answer(h, 'schedule add payroll month-start at 08:00');
  await answer(h, 'schedule list');

  // A delivered export (Lucca builds it in 90 s).
  await h.command('payroll 2026-12-01');
  const delivered = await h.postedRun((r) => r.configurationId === 3);
  await h.settle();
  await h.advance(120_000);
  assert.equal(h.app.store.get(delivered.id)!.state, 'done');

  // A stall, then Retry.
  h.sim.configure(7, { buildMs: 'never' });
  await h.command('overtime 2026-12-01');
  const stalled = await h.postedRun((r) => r.configurationId === 7);
  await h.settle();
  await h.advance(61 * 60_000, 60_000);
  assert.equal(h.app.store.get(stalled.id)!.state, 'stalled');
  h.sim.configure(7, { buildMs: 30_000 });
  await h.click(ACTION_RETRY, stalled.id);
  await eventually(() => h.app.store.get(stalled.id)!.state !== 'stalled', 'the retry');
  await h.settle();
  await h.advance(60_000);
  assert.equal(h.app.store.get(stalled.id)!.state, 'done');
  await h.click(ACTION_RETRY, stalled.id); // nothing to retry: said so
  await answer(h, `retry ${stalled.id}`, MALLORY);
  await answer(h, 'status');

  // The modal: a refused field, then a preview export up to the Monday after month end, cancelled.
  h.slack.views.opened.length = 0;
  await h.command('');
  const view = await eventually(() => h.slack.views.opened[0], 'the modal');
  const refused = await sendInteraction(
    h.app.url!,
    SIGNING_SECRET,
    viewSubmissionOf(view, {
      userId: ANA,
      teamId: h.slack.teamId,
      choices: { config_alias: 'payroll', end_choice: 'custom', end_date: null },
    }),
  );
  acks.push(JSON.parse(refused.body));
  const submitted = await sendInteraction(
    h.app.url!,
    SIGNING_SECRET,
    viewSubmissionOf(view, {
      userId: ANA,
      teamId: h.slack.teamId,
      choices: { config_alias: 'payroll', end_choice: 'monday' },
    }),
  );
  assert.equal(submitted.body, '');
  const previewed = await h.postedRun((r) => r.source === 'modal');
  await eventually(() => h.slack.ephemerals.length > 0, 'the preview warning');
  await h.click(ACTION_CANCEL, previewed.id);
  await eventually(() => h.app.store.get(previewed.id)!.state === 'cancelled', 'cancelled');
  await h.settle();

  // The schedule's January occurrence cannot start (the bot was removed from the channel): the list
  // and App Home say why, in the reader's language.
  h.slack.setChannelMembers(PAYROLL, false);
  h.clock.set(localToUtc('2027-01-01', '08:00', 'Europe/Paris'));
  const fired = await h.ext.scheduler.tick();
  assert.deepEqual(
    fired.results.map((r) => r.outcome),
    ['failed'],
  );
  h.slack.setChannelMembers(PAYROLL, true);
  await answer(h, 'schedule list');

  // App Home, for someone who may and someone who may not; then Disable from it.
  await openHome(h, ANA);
  await openHome(h, MALLORY);
  delete h.slack.views.published[ANA];
  await sendInteraction(
    h.app.url!,
    SIGNING_SECRET,
    blockActionPayload({
      actionId: ACTION_HOME_DISABLE,
      value: '1',
      userId: ANA,
      channelId: 'D0HOME',
      messageTs: '1.000',
    }),
  );
  await eventually(() => h.slack.views.published[ANA], 'the re-published Home tab');
  return acks;
}

/** Every text Slack received from the app: Web API calls (messages, updates, uploads, views) and response_urls. */
function everythingSlackReceived(h: Harness, acks: unknown[]): { where: string; text: string }[] {
  return [
    ...h.slack.calls.flatMap((call) => textsOf(call.args).map((text) => ({ where: call.method, text }))),
    ...h.slack.responses.flatMap((r) => textsOf(r.body).map((text) => ({ where: 'response_url', text }))),
    ...acks.flatMap((ack) =>
      Object.values((ack as { errors?: Record<string, string> }).errors ?? {}).map((text) => ({
        where: 'view ack',
        text,
      })),
    ),
  ];
}

describe('APP_LANGUAGE=fr: everything the app says in Slack is French', () => {
  let h: LanguageHarness;
  before(async () => {
    h = await harness({ APP_LANGUAGE: 'fr' });
  });
  after(() => h.close());

  test('no English word in any payload of the whole run; Slack accepted every payload', async () => {
    const acks = await playEverything(h);
    const said = everythingSlackReceived(h, acks);
    assert.ok(said.length > 40, `${said.length} texts scanned`);
    const english = said
      .map(({ where, text }) => ({ where, words: englishWordsIn(text), text: text.slice(0, 160) }))
      .filter((found) => found.words.length > 0);
    assert.deepEqual(english, []);
    assert.deepEqual(h.slack.violations, [], 'Block Kit limits hold in French');
    const all = said.map((s) => s.text).join('\n');
    for (const expected of [
      /Export des temps/,
      /Exports des temps/,
      /Vous n'avez pas l'autorisation/,
      /février 2026 compte 28 jours/,
      /Planification 1 ajoutée/,
      /Choisissez la date de fin/,
      /Dernière : vendredi 1 janvier 2027 : :x: n'a pas pu démarrer : Je ne suis pas membre du canal de la planification\./,
    ]) {
      assert.match(all, expected);
    }
  });
});

describe('APP_LANGUAGE=en: the same run is in English, as before', () => {
  let h: LanguageHarness;
  before(async () => {
    h = await harness({});
  });
  after(() => h.close());

  test('the scan finds English everywhere it looks, and Slack accepted every payload', async () => {
    const acks = await playEverything(h);
    const said = everythingSlackReceived(h, acks);
    const all = said.map((s) => s.text).join('\n');
    for (const expected of [
      /Timesheet exports/,
      /You are not allowed to run timesheet exports/,
      /February 2026 has 28 days/,
      /Schedule 1 added/,
      /Pick the end date/,
      /Run \d+ is already :white_check_mark: delivered: nothing to retry\./,
      /Last: Fri 1 Jan 2027: :x: could not start: I am not a member of this channel\./,
    ]) {
      assert.match(all, expected);
    }
    assert.ok(englishWordsIn(all).length > 100, 'the scan would catch an English run');
    assert.deepEqual(h.slack.violations, [], 'Block Kit limits hold in English');
  });
});

describe('a person whose Slack is in French, in an English app', () => {
  let h: LanguageHarness;
  before(async () => {
    h = await harness({ APP_LANGUAGE: 'en' });
    h.slack.setScopes(['commands', 'chat:write', 'files:write', 'usergroups:read', 'users:read']);
    h.slack.setUserLocale(MARIE, 'fr-FR');
    h.slack.setUserLocale(ANA, 'en-GB');
  });
  after(() => h.close());

  test('reads help, refusals and App Home in French, while the channel stays English', async () => {
    const help = await answer(h, 'help', MARIE);
    assert.match(help.text, /lance un export Lucca Timesheet/);
    assert.deepEqual(englishWordsIn(help.text), []);
    const bad = await answer(h, 'payroll 2026-02-30', MARIE);
    assert.match(bad.text, /n'est pas une date réelle/);
    assert.match(
      (await answer(h, 'help', ANA)).text,
      /runs a Lucca Timesheet export/,
      'her colleague reads English',
    );

    await h.command('payroll 2026-12-01', { user: MARIE });
    const run = await h.postedRun();
    await h.settle();
    await h.advance(120_000);
    const channel = h.slack
      .messagesIn(PAYROLL)
      .flatMap((m) => textsOf(m))
      .join('\n');
    assert.match(channel, /payroll \(#3\)/);
    assert.ok(englishWordsIn(channel).length > 0, 'the channel reads APP_LANGUAGE (English)');
    assert.equal(h.app.store.get(run.id)!.state, 'done');

    const home = await openHome(h, MARIE);
    const homeTexts = textsOf(home).join('\n');
    assert.match(homeTexts, /Exports des temps/);
    assert.deepEqual(englishWordsIn(homeTexts), []);
    // One look-up per person, cached: not one per request.
    assert.equal(h.slack.callsTo('users.info').filter((c) => c.args.user === MARIE).length, 1);
    assert.ok(h.slack.callsTo('users.info').every((c) => c.args.include_locale === 'true'));
  });
});
