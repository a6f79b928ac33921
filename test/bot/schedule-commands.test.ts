import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { ManualClock } from '../../fakes/manual-clock.js';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { AccessControl } from '../../src/bot/access.js';
import { commandErrorText } from '../../src/bot/messages/command-text.js';
import { createScheduleCommands } from '../../src/bot/schedule-commands.js';
import { channelOfSlackText } from '../../src/bot/slack-channel.js';
import { todayIn } from '../../src/calendar/end-date.js';
import { type CommandContext, parseCommand } from '../../src/command/grammar.js';
import type { Language } from '../../src/i18n/language.js';
import { localToUtc } from '../../src/schedule/rules.js';
import { openDatabase } from '../../src/store/database.js';
import { ScheduleStore } from '../../src/store/schedule-store.js';
import { englishWordsIn, textsOf } from '../helpers/english-words.js';

const ZONE = 'Europe/Paris';
const ANA = 'U0ANA';
const PAY = 'C0PAY';
const NOW = localToUtc('2027-01-15', '10:00', ZONE);

let slack: SlackStandIn;
let client: WebClient;
before(async () => {
  slack = await startSlackStandIn();
  client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
});
after(() => slack.close());
beforeEach(() => slack.reset());

function setup(
  access: {
    allowedUsers?: readonly string[] | '*';
    allowedChannels?: readonly string[];
    timezone?: string;
    now?: number;
    /** The person's language, and the channel's (APP_LANGUAGE). */
    language?: Language;
    channelLanguage?: Language;
  } = {},
) {
  const timezone = access.timezone ?? ZONE;
  const now = access.now ?? NOW;
  const store = new ScheduleStore(openDatabase(':memory:'));
  const clock = new ManualClock(now);
  const control = new AccessControl(
    {
      allowedUsers: 'allowedUsers' in access ? access.allowedUsers : [ANA],
      allowedChannels: access.allowedChannels,
    },
    async () => [],
    clock,
  );
  const handle = createScheduleCommands({
    store,
    access: control,
    clock,
    timezone,
    channelLanguage: access.channelLanguage ?? 'en',
  });
  const context: CommandContext = {
    aliases: { payroll: 3, overtime: 7 },
    today: todayIn(timezone, now),
    channelOf: channelOfSlackText,
  };
  /** Types the command as a person would: the real parser, then the schedule handler. */
  const type = async (text: string, user = ANA, channelId = PAY) => {
    const parsed = parseCommand(text, context);
    if (parsed.kind === 'error') return { text: commandErrorText(parsed, 'en').message, error: true };
    return {
      ...(await handle(parsed, { userId: user, channelId, language: access.language ?? 'en' }, client)),
      error: false,
    };
  };
  return { store, clock, type };
}

const all = (reply: { text: string; blocks?: unknown[] }) =>
  `${reply.text}\n${JSON.stringify(reply.blocks ?? [])}`;

describe('schedule add', () => {
  it('adds a schedule in the command channel and confirms the next occurrence with its time zone', async () => {
    const { store, type } = setup();
    const reply = await type('schedule add payroll month-start at 7:30');
    assert.equal(reply.error, false);
    assert.match(reply.text, /Schedule 1 added: payroll \(#3\) is exported in <#C0PAY>/);
    assert.match(reply.text, /at 07:30 \(Europe\/Paris\)/);
    assert.match(reply.text, /Next: Mon 1 Feb 2027 at 07:30 \(Europe\/Paris\)/);
    assert.match(reply.text, /<!date\^\d+\^/, 'also in the reader’s own time');
    assert.match(reply.text, /exporting January 2027/);
    assert.match(reply.text, /schedule remove 1/);
    const [saved] = store.listEnabled();
    assert.deepEqual(
      { ...saved, createdAt: 0, updatedAt: 0 },
      {
        id: 1,
        configurationId: 3,
        configurationLabel: 'payroll',
        rule: 'month-start',
        timeOfDay: '07:30',
        channelId: PAY,
        createdBy: ANA,
        enabled: true,
        createdAt: 0,
        updatedAt: 0,
        disabledBy: null,
        disabledAt: null,
      },
    );
  });

  it('posts in the channel given with `in #channel`', async () => {
    const { store, type } = setup();
    const reply = await type('schedule add 12 monday-after in <#C0HR|hr>');
    assert.match(reply.text, /configuration #12 is exported in <#C0HR>/);
    assert.match(reply.text, /Next: Mon 1 Feb 2027 at 08:00 \(Europe\/Paris\)/, 'default time 08:00');
    assert.equal(store.listEnabled()[0]?.channelId, 'C0HR');
    assert.equal(store.listEnabled()[0]?.configurationLabel, null);
  });

  it('refuses the same configuration and rule twice in one channel, naming the existing schedule', async () => {
    const { store, type } = setup();
    await type('schedule add payroll month-start');
    const reply = await type('schedule add payroll month-start at 09:00');
    assert.match(reply.text, /already has a `month-start` schedule in <#C0PAY>: schedule 1, at 08:00/);
    assert.match(reply.text, /schedule remove 1/);
    assert.equal(store.listEnabled().length, 1);
  });

  it('refuses people who may not run exports, and channels outside ALLOWED_CHANNELS', async () => {
    const { store, type } = setup({ allowedChannels: [PAY] });
    const stranger = await type('schedule add payroll month-start', 'U0EVE');
    assert.match(stranger.text, /:lock: You are not allowed to run timesheet exports.*ALLOWED_USERS/);
    const elsewhere = await type('schedule add payroll month-start in <#C0HR|hr>');
    assert.match(elsewhere.text, /:lock: Payroll exports are only posted in <#C0PAY>/);
    assert.equal(store.listAll().length, 0);
  });

  it('refuses a channel the bot is not in, saying how to invite it', async () => {
    const { store, type } = setup();
    slack.setChannelMembers('C0HR', false);
    const reply = await type('schedule add payroll month-start in <#C0HR|hr>');
    assert.match(reply.text, /I am not a member of <#C0HR>.*\/invite/);
    assert.equal(store.listAll().length, 0);
  });

  it('adds it with a reminder when Slack will not say whether the bot is in the channel (no channels:read)', async () => {
    const { store, type } = setup();
    slack.setScopes(['commands', 'chat:write', 'files:write', 'usergroups:read']);
    const reply = await type('schedule add payroll last-business-day');
    assert.match(reply.text, /Schedule 1 added/);
    assert.match(reply.text, /Next: Fri 29 Jan 2027 at 08:00 \(Europe\/Paris\).*exporting January 2027/);
    assert.match(reply.text, /I must be a member of <#C0PAY>/);
    assert.equal(store.listEnabled().length, 1);
  });

  it('says when the time of day does not exist on the next occurrence (clocks go forward that night)', async () => {
    // Paraguay moved its clocks from 00:00 to 01:00 on Sunday 1 October 2023: a month-start at 00:30
    // runs at 01:00 that day. (In Europe the change is on a Sunday night that no rule fires on.)
    const { type } = setup({ timezone: 'America/Asuncion', now: Date.UTC(2023, 8, 15, 12) });
    const reply = await type('schedule add payroll month-start at 00:30');
    assert.match(
      reply.text,
      /Next: Sun 1 Oct 2023 at 01:00 \(America\/Asuncion\) \(00:30 does not exist that day \(clocks go forward\), so it runs at 01:00\)/,
    );
  });

  it('gives a clear error and an example for bad input, before anything is stored', async () => {
    const { store, type } = setup();
    for (const [text, message] of [
      ['schedule add payroll weekly', /`weekly` is not a schedule rule/],
      ['schedule add payroll month-start at 25:00', /`25:00` is not a time of day/],
      ['schedule add payroll month-start in #payroll', /`#payroll` is not a channel link/],
      ['schedule add nobody month-start', /`nobody` is not a command or a known configuration/],
    ] as const) {
      const reply = await type(text);
      assert.equal(reply.error, true, text);
      assert.match(reply.text, message);
    }
    assert.equal(store.listAll().length, 0);
  });
});

describe('schedule list', () => {
  it('says how to add one when there is none', async () => {
    const { type } = setup();
    const reply = await type('schedule list');
    assert.match(reply.text, /No month-end schedules yet.*schedule add payroll month-start at 08:00/);
  });

  it('lists ids, configuration, rule in words, time with zone, channel, next occurrence and the last outcome', async () => {
    const { store, type, clock } = setup();
    await type('schedule add payroll month-start at 07:30');
    await type('schedule add overtime monday-after in <#C0HR|hr>');
    store.claimOccurrence(
      1,
      { key: '2027-01', firesAt: NOW - 14 * 86_400_000, endsAt: '2027-01-01' },
      'w',
      NOW,
    );
    store.recordOutcome(1, '2027-01', 'started', { runId: 41 }, NOW);
    clock.set(NOW + 60_000);

    const text = all(await type('schedule list'));
    assert.match(text, /Month-end schedules\* \(times in Europe\/Paris/);
    assert.match(text, /\*Schedule 1\* · payroll \(#3\) → <#C0PAY>/);
    assert.match(text, /`month-start` at 07:30: on the 1st of each month, exporting the month just ended/);
    assert.match(
      text,
      /Next: Mon 1 Feb 2027 at 07:30 \(Europe\/Paris\) · <!date\^\d+\^[^>]+> your time · exporting January 2027/,
    );
    assert.match(text, /Last: Fri 1 Jan 2027: started run 41/);
    assert.match(text, /\*Schedule 2\* · overtime \(#7\) → <#C0HR>/);
    assert.match(text, /`monday-after` at 08:00: on the first Monday on or after the 1st/);
  });

  it('shows a failed last occurrence with its reason', async () => {
    const { store, type } = setup();
    await type('schedule add payroll month-start');
    store.claimOccurrence(
      1,
      { key: '2027-01', firesAt: NOW - 14 * 86_400_000, endsAt: '2027-01-01' },
      'w',
      NOW,
    );
    store.recordOutcome(
      1,
      '2027-01',
      'failed',
      { errorCode: 'not-in-channel', errorMessage: 'I am not a member of this channel.' },
      NOW,
    );
    assert.match(
      all(await type('schedule list')),
      /Last: Fri 1 Jan 2027: :x: could not start: I am not a member/,
    );
  });
});

describe('schedule remove', () => {
  it('disables the schedule, keeps its history, and says so', async () => {
    const { store, type } = setup();
    await type('schedule add payroll month-start');
    const reply = await type('schedule remove 1', 'U0ANA');
    assert.match(
      reply.text,
      /Schedule 1 removed: payroll \(#3\) → <#C0PAY>, `month-start` at 08:00 \(Europe\/Paris\) will not run any more/,
    );
    assert.deepEqual(store.listEnabled(), []);
    assert.equal(store.get(1)?.disabledBy, ANA);
    const again = await type('schedule remove 1');
    assert.match(again.text, /Schedule 1 was already removed by <@U0ANA> on 2027-01-15/);
    assert.match(all(await type('schedule list')), /No month-end schedules yet/);
  });

  it('schedule add and remove are announced in the schedule’s channel, for the whole team', async () => {
    const { type } = setup();
    await type('schedule add payroll month-start at 7:30 in <#C0HR|hr>');
    await type('schedule remove 1');
    const said = slack.messagesIn('C0HR').map((m) => m.text ?? '');
    assert.equal(said.length, 2);
    assert.match(
      said[0]!,
      /<@U0ANA> added a month-end schedule here: payroll \(#3\) is exported in this channel/,
    );
    assert.match(said[0]!, /Next: Mon 1 Feb 2027 at 07:30/);
    assert.match(
      said[1]!,
      /<@U0ANA> removed schedule 1: payroll \(#3\) will no longer be exported in this channel/,
    );
  });

  it('answers an unknown id clearly', async () => {
    const { type } = setup();
    const reply = await type('schedule remove 9');
    assert.match(
      reply.text,
      /There is no schedule 9\. `\/timesheet-export schedule list` shows the schedules/,
    );
  });

  it('refuses people who may not run exports', async () => {
    const { store, type } = setup();
    await type('schedule add payroll month-start');
    const reply = await type('schedule remove 1', 'U0EVE');
    assert.match(reply.text, /:lock:/);
    assert.equal(store.listEnabled().length, 1);
  });

  it('refuses everyone while ALLOWED_USERS is unset, and says which variable to set', async () => {
    const { type } = setup({ allowedUsers: undefined as never });
    const reply = await type('schedule add payroll month-start');
    assert.match(reply.text, /Nobody may run exports yet.*`ALLOWED_USERS`/);
  });
});

describe('schedules in the reader’s language', () => {
  it('answers a French reader in French, while the channel’s announcement stays in APP_LANGUAGE', async () => {
    const { type } = setup({ language: 'fr', channelLanguage: 'en' });
    const added = await type('schedule add payroll month-start at 7:30');
    assert.match(
      added.text,
      /^:white_check_mark: Planification 1 ajoutée : payroll \(#3\) est exportée dans <#C0PAY> le 1er de chaque mois/,
    );
    assert.match(added.text, /Prochaine : lundi 1 février 2027 à 07:30 \(Europe\/Paris\)/);
    assert.match(added.text, /export de janvier 2027/);
    assert.deepEqual(englishWordsIn(added.text), []);
    const announced = slack.messagesIn(PAY).at(-1)?.text ?? '';
    assert.match(announced, /added a month-end schedule here: payroll \(#3\) is exported in this channel/);

    const listed = await type('schedule list');
    assert.equal(listed.text, '1 planification de fin de mois');
    assert.ok(textsOf(listed).some((t) => t.includes('`/timesheet-export schedule remove <n°>`')));
    assert.deepEqual(englishWordsIn(textsOf(listed).join('\n')), []);

    const removed = await type('schedule remove 1');
    assert.match(removed.text, /^Planification 1 supprimée/);
    assert.deepEqual(englishWordsIn(removed.text), []);
    assert.deepEqual(englishWordsIn((await type('schedule remove 9')).text), []);
  });

  it('announces in French in a French channel, whatever the reader’s language', async () => {
    const { type } = setup({ language: 'en', channelLanguage: 'fr' });
    const added = await type('schedule add payroll month-start');
    assert.match(added.text, /^:white_check_mark: Schedule 1 added/);
    const announced = slack.messagesIn(PAY).at(-1)?.text ?? '';
    assert.match(announced, /a ajouté une planification de fin de mois ici/);
    assert.deepEqual(englishWordsIn(announced), []);
  });

  it('refuses an unauthorised French reader in French', async () => {
    const { type } = setup({ language: 'fr', allowedUsers: [] });
    const refused = await type('schedule add payroll month-start');
    assert.match(refused.text, /^:lock: Vous n'avez pas l'autorisation de lancer des exports/);
  });
});
