import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { ManualClock } from '../../fakes/manual-clock.js';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { type LocaleLookup, UserLanguages } from '../../src/bot/user-language.js';

const { WebClient } = webApi;
const HOUR = 3_600_000;

describe('a person’s language, from Slack’s users.info against the stand-in', () => {
  let slack: SlackStandIn;
  let lookup: LocaleLookup;

  before(async () => {
    slack = await startSlackStandIn();
    const client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    lookup = async (user) => (await client.users.info({ user, include_locale: true })).user?.locale;
  });
  after(() => slack.close());
  beforeEach(() => slack.reset());

  const languages = (clock = new ManualClock(), fallback: 'en' | 'fr' = 'en') =>
    new UserLanguages({ fallback, lookup, clock });

  test('a fr-FR user reads French, an en-US one English, with include_locale asked for', async () => {
    slack.setUserLocale('U0MARIE', 'fr-FR');
    slack.setUserLocale('U0JOHN', 'en-US');
    const l = languages(new ManualClock(), 'fr');
    assert.equal(await l.of('U0MARIE'), 'fr');
    assert.equal(await l.of('U0JOHN'), 'en');
    assert.equal(slack.callsTo('users.info')[0]?.args.include_locale, 'true');
  });

  test('a locale the app does not speak falls back to APP_LANGUAGE', async () => {
    slack.setUserLocale('U0HANS', 'de-DE');
    assert.equal(await languages(new ManualClock(), 'fr').of('U0HANS'), 'fr');
  });

  test('cached per user until it expires on the injected clock, then asked again', async () => {
    slack.setUserLocale('U0MARIE', 'fr-FR');
    const clock = new ManualClock();
    const l = languages(clock);
    assert.equal(await l.of('U0MARIE'), 'fr');
    assert.equal(l.known('U0MARIE'), 'fr');
    assert.equal(await l.of('U0MARIE'), 'fr');
    assert.equal(slack.callsTo('users.info').length, 1);

    slack.setUserLocale('U0MARIE', 'en-GB');
    await clock.advance(7 * HOUR);
    assert.equal(await l.of('U0MARIE'), 'en');
    assert.equal(slack.callsTo('users.info').length, 2);
  });

  test('without users:read everyone reads APP_LANGUAGE, and Slack is not asked again for an hour', async () => {
    slack.setScopes(['commands', 'chat:write']);
    slack.setUserLocale('U0MARIE', 'fr-FR');
    const clock = new ManualClock();
    const l = languages(clock, 'en');
    assert.equal(await l.of('U0MARIE'), 'en');
    assert.equal(await l.of('U0PAUL'), 'en');
    assert.equal(slack.callsTo('users.info').length, 1);

    // The admin adds the scope: it is used without a restart.
    slack.setScopes(['commands', 'chat:write', 'users:read']);
    await clock.advance(HOUR + 1);
    assert.equal(await l.of('U0MARIE'), 'fr');
  });

  test('a failed lookup answers APP_LANGUAGE and is tried again minutes later, not hours', async () => {
    slack.failNext('users.info', { status: 500 });
    slack.setUserLocale('U0MARIE', 'fr-FR');
    const clock = new ManualClock();
    const l = languages(clock, 'en');
    assert.equal(await l.of('U0MARIE'), 'en');
    await clock.advance(6 * 60_000);
    assert.equal(await l.of('U0MARIE'), 'fr');
  });

  test('known() never waits: APP_LANGUAGE at first, the person’s language once the lookup is back', async () => {
    slack.setUserLocale('U0MARIE', 'fr-FR');
    const l = languages(new ManualClock(), 'en');
    assert.equal(l.known('U0MARIE'), 'en');
    // The lookup started in the background; of() joins it rather than asking twice.
    assert.equal(await l.of('U0MARIE'), 'fr');
    assert.equal(l.known('U0MARIE'), 'fr');
    assert.equal(slack.callsTo('users.info').length, 1);
  });
});

describe('UserLanguages bounds', () => {
  test('of() waits at most waitMs on the injected clock, then answers APP_LANGUAGE', async () => {
    const clock = new ManualClock();
    let release: (locale: string) => void = () => undefined;
    const l = new UserLanguages({
      fallback: 'en',
      clock,
      waitMs: 1_000,
      lookup: () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
    });
    const answer = l.of('U0SLOW');
    await clock.advance(1_000);
    assert.equal(await answer, 'en');
    // The slow answer still lands in the cache for next time.
    release('fr-FR');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(l.known('U0SLOW'), 'fr');
  });

  test('remembers at most maxEntries people, forgetting the least recently asked-for', async () => {
    const asked: string[] = [];
    const l = new UserLanguages({
      fallback: 'en',
      clock: new ManualClock(),
      maxEntries: 2,
      lookup: async (user) => {
        asked.push(user);
        return 'fr-FR';
      },
    });
    await l.of('U1');
    await l.of('U2');
    await l.of('U1'); // U1 is now the most recent
    await l.of('U3'); // U2 is forgotten
    await l.of('U1');
    await l.of('U2');
    assert.deepEqual(asked, ['U1', 'U2', 'U3', 'U2']);
  });
});
