import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { tellPerson } from '../../src/bot/tell-person.js';
import { createLogger } from '../../src/util/log.js';

describe('tellPerson, in the person’s language', () => {
  let slack: SlackStandIn;
  let client: WebClient;
  const logger = createLogger({ level: 'error', write: () => undefined });
  before(async () => {
    slack = await startSlackStandIn();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  after(() => slack.close());
  beforeEach(() => slack.reset());

  it('says the direct message that replaces a refused ephemeral in French, and in English as before', async () => {
    for (const [language, expected] of [
      ['fr', 'À propos de votre export de temps dans <#C0PRIV> : Cet export est déjà en cours.'],
      ['en', 'About your timesheet export in <#C0PRIV>: Cet export est déjà en cours.'],
    ] as const) {
      slack.failNext('chat.postEphemeral', { error: 'channel_not_found' });
      const how = await tellPerson(client, logger, {
        channelId: 'C0PRIV',
        userId: 'U0ANA',
        text: 'Cet export est déjà en cours.',
        language,
      });
      assert.equal(how, 'direct-message');
      assert.equal(slack.messagesIn('U0ANA').at(-1)?.text, expected);
    }
  });
});
