import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { homeSchedules } from '../../../src/bot/listeners/events/app-home.js';
import {
  ACTION_HOME_DISABLE,
  ACTION_HOME_RUN_NOW,
  type HomeViewInput,
  homeView,
  parseRunNowValue,
} from '../../../src/bot/messages/home-view.js';
import { localToUtc } from '../../../src/schedule/rules.js';
import { openDatabase } from '../../../src/store/database.js';
import { RunStore } from '../../../src/store/run-store.js';
import { ScheduleStore } from '../../../src/store/schedule-store.js';
import { englishWordsIn, textsOf } from '../../helpers/english-words.js';

const ZONE = 'Europe/Paris';
const NOW = localToUtc('2027-01-15', '10:00', ZONE);
const WORKSPACE = 'https://acme.slack.com/';

/** A database as the app leaves it: two schedules, one failed occurrence, three runs in various states. */
function storeState() {
  const db = openDatabase(':memory:');
  const schedules = new ScheduleStore(db);
  const runs = new RunStore(db);
  const created = NOW - 30 * 86_400_000;
  const payroll = schedules.create(
    {
      configurationId: 3,
      configurationLabel: 'payroll',
      rule: 'month-start',
      timeOfDay: '07:30',
      channelId: 'C0PAY',
      createdBy: 'U0ANA',
    },
    created,
  ).schedule;
  const overtime = schedules.create(
    {
      configurationId: 7,
      configurationLabel: 'overtime',
      rule: 'last-business-day',
      timeOfDay: '18:00',
      channelId: 'C0HR',
      createdBy: 'U0ANA',
    },
    created,
  ).schedule;
  const removed = schedules.create(
    { configurationId: 9, rule: 'monday-after', timeOfDay: '08:00', channelId: 'C0PAY', createdBy: 'U0ANA' },
    created,
  ).schedule;
  schedules.disable(removed.id, 'U0ANA', created);
  const dueJan = localToUtc('2027-01-01', '07:30', ZONE);
  schedules.claimOccurrence(
    payroll.id,
    { key: '2027-01', firesAt: dueJan, endsAt: '2027-01-01' },
    'w',
    dueJan,
  );
  schedules.recordOutcome(
    payroll.id,
    '2027-01',
    'failed',
    { errorCode: 'not-in-channel', errorMessage: 'I am not a member of this channel.' },
    dueJan,
  );

  const first = runs.createRun(
    {
      configurationId: 3,
      configurationLabel: 'payroll',
      endsAt: '2026-12-01',
      requestedBy: 'U0ANA',
      source: 'command',
      channelId: 'C0PAY',
    },
    NOW - 3 * 3_600_000,
  ).run;
  runs.setThread(first.id, 'C0PAY', '1768000000.000100');
  runs.transition(first.id, { from: ['baseline'], now: NOW - 3_600_000 }, { state: 'done' });
  const stalled = runs.createRun(
    {
      configurationId: 7,
      endsAt: '2027-01-01',
      requestedBy: 'schedule:2',
      source: 'schedule',
      channelId: 'C0HR',
      scheduleId: overtime.id,
    },
    NOW - 2 * 3_600_000,
  ).run;
  runs.setThread(stalled.id, 'C0HR', '1768000000.000200');
  runs.transition(stalled.id, { from: ['baseline'], now: NOW }, { state: 'stalled', nextAt: null });

  const input = (canRun: boolean, extra: Partial<HomeViewInput> = {}): HomeViewInput => ({
    runs: runs.recent(10),
    schedules: homeSchedules(schedules, NOW, ZONE),
    canRun,
    language: 'en',
    now: NOW,
    timezone: ZONE,
    workspaceUrl: WORKSPACE,
    ...extra,
  });
  return { input, payroll, overtime, schedules, runs };
}

const text = (value: unknown) => JSON.stringify(value);
// biome-ignore lint/suspicious/noExplicitAny: walking Block Kit JSON
const buttons = (view: { blocks: any[] }) =>
  view.blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as { action_id: string; value: string; confirm?: unknown }[]);

describe('App Home view', () => {
  it('shows the schedules with their next occurrence in the zone, and the last outcome', () => {
    const { input } = storeState();
    const view = homeView(input(true));
    assert.equal(view.type, 'home');
    const all = text(view);
    assert.match(all, /\*Schedule 1\* · payroll \(#3\) → <#C0PAY>/);
    assert.match(all, /Next: Mon 1 Feb 2027 at 07:30 \(Europe\/Paris\)/);
    assert.match(all, /Last: Fri 1 Jan 2027: :x: could not start: I am not a member of this channel\./);
    assert.match(all, /\*Schedule 2\* · overtime \(#7\) → <#C0HR>/);
    assert.match(all, /Next: Fri 29 Jan 2027 at 18:00 \(Europe\/Paris\)/);
    assert.doesNotMatch(all, /Schedule 3/, 'a removed schedule is not shown');
    assert.match(all, /Times are in Europe\/Paris/);
  });

  it('shows the latest runs with their state and a link to their thread', () => {
    const { input } = storeState();
    const all = text(homeView(input(false)));
    assert.match(all, /configuration #7\*, December 2026: :warning: stalled/);
    assert.match(all, /<https:\/\/acme\.slack\.com\/archives\/C0HR\/p1768000000000200\|thread>/);
    assert.match(all, /payroll \(#3\)\*, November 2026: :white_check_mark: delivered/);
    assert.match(all, /<https:\/\/acme\.slack\.com\/archives\/C0PAY\/p1768000000000100\|thread>/);
    assert.ok(
      all.indexOf('December 2026: :warning') < all.indexOf('November 2026: :white_check'),
      'newest first',
    );
  });

  it('gives people who may run exports Run now and Disable, each with a confirm dialog', () => {
    const { input, payroll, overtime } = storeState();
    const found = buttons(homeView(input(true)));
    assert.deepEqual(
      found.map((b) => [b.action_id, b.value]),
      [
        [ACTION_HOME_RUN_NOW, `${payroll.id}:2027-01-01`], // mid-January, month-start exports December
        [ACTION_HOME_DISABLE, String(payroll.id)],
        [ACTION_HOME_RUN_NOW, `${overtime.id}:2027-02-01`], // last-business-day previews January
        [ACTION_HOME_DISABLE, String(overtime.id)],
      ],
    );
    for (const button of found) assert.ok(button.confirm, `${button.action_id} asks for confirmation`);
    assert.match(text(found[0]!.confirm), /payroll \(#3\), December 2026, is exported now in <#C0PAY>/);
    assert.match(text(found[1]!.confirm), /will no longer be exported `month-start` in <#C0PAY>/);
    assert.deepEqual(parseRunNowValue(found[0]!.value), { scheduleId: payroll.id, endsAt: '2027-01-01' });
  });

  it('shows people who may not run exports the same lists, no buttons, and who to ask', () => {
    const { input } = storeState();
    const view = homeView(
      input(false, {
        refusal:
          'You are not allowed to run timesheet exports. Ask your Slack admin to add you (or your user group) to `ALLOWED_USERS`.',
      }),
    );
    assert.deepEqual(buttons(view), []);
    const all = text(view);
    assert.match(
      all,
      /:lock: You can see the latest exports and the schedules here\. You are not allowed.*ALLOWED_USERS/,
    );
    assert.match(all, /Schedule 1/);
    assert.match(all, /stalled/);
  });

  it('shows the result of the last button press at the top', () => {
    const { input } = storeState();
    const view = homeView(input(true, { notice: ':white_check_mark: Started run 3.' }));
    assert.equal(view.blocks[1]?.type, 'section');
    assert.match(text(view.blocks[1]), /Started run 3/);
  });

  it('says so when there is nothing yet, and stays under Slack’s 100-block limit with many schedules', () => {
    const empty = homeView({
      runs: [],
      schedules: [],
      canRun: true,
      language: 'en',
      now: NOW,
      timezone: ZONE,
      workspaceUrl: undefined,
    });
    assert.match(text(empty), /No schedules yet\. Add one with/);
    assert.match(text(empty), /No exports yet/);

    const db = openDatabase(':memory:');
    const schedules = new ScheduleStore(db);
    for (let id = 1; id <= 60; id++) {
      schedules.create(
        {
          configurationId: id,
          rule: 'month-start',
          timeOfDay: '08:00',
          channelId: 'C0PAY',
          createdBy: 'U0ANA',
        },
        NOW,
      );
    }
    const { input } = storeState();
    const view = homeView(input(true, { schedules: homeSchedules(schedules, NOW, ZONE) }));
    assert.ok(view.blocks.length <= 100, `${view.blocks.length} blocks`);
    assert.match(text(view), /…and 30 more/);
  });
});

describe('App Home view in French', () => {
  const prose = (view: unknown) => textsOf(view).join('\n');

  it('says the schedules, buttons and confirm dialogs in French for a French reader', () => {
    const { input } = storeState();
    const view = homeView(input(true, { language: 'fr' }));
    const all = prose(view);
    assert.match(all, /Exports des temps/);
    assert.match(all, /\*Planification 1\* · payroll \(#3\) → <#C0PAY>/);
    assert.match(all, /Prochaine : lundi 1 février 2027 à 07:30 \(Europe\/Paris\)/);
    // The failure was stored with its code and its English sentence: the code is said in French.
    assert.match(
      all,
      /Dernière : vendredi 1 janvier 2027 : :x: n'a pas pu démarrer : Je ne suis pas membre du canal de la planification\. Invitez-moi dans ce canal \(`\/invite` suivi de mon nom\), puis cliquez sur \*Lancer maintenant\* dans l'onglet Accueil de l'application si l'export est toujours nécessaire\./,
    );
    assert.doesNotMatch(all, /I am not a member/);
    assert.match(all, /payroll \(#3\), décembre 2026 est exporté maintenant dans <#C0PAY>/);
    assert.match(all, /payroll \(#3\)\*, novembre 2026: :white_check_mark: livré/);
    for (const label of ['Lancer maintenant', 'Pas maintenant', 'Désactiver', 'La garder']) {
      assert.ok(all.includes(label), label);
    }
    assert.deepEqual(englishWordsIn(all), []);
    assert.equal(buttons(view).length, 4, 'the same buttons as in English');
  });

  it('tells a French reader who may not run exports who to ask, in French', () => {
    const { input } = storeState();
    const view = homeView(input(false, { language: 'fr' }));
    assert.deepEqual(buttons(view), []);
    assert.match(
      prose(view),
      /:lock: Vous voyez ici les derniers exports et les planifications\. Pour lancer/,
    );
    assert.deepEqual(englishWordsIn(prose(view)), []);
  });
});
