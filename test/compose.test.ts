import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WebClient } from '@slack/web-api';
import { type SlackStandIn, startSlackStandIn } from '../fakes/slack/index.js';
import { identify, StartupError } from '../src/compose.js';

const TOKEN = 'xoxb-compose-DO-NOT-LEAK-77';

describe('identify: the bot token check at start-up', () => {
  let slack: SlackStandIn;
  before(async () => {
    slack = await startSlackStandIn({ botToken: TOKEN });
  });
  after(() => slack.close());
  const client = (url = slack.url, token = TOKEN) =>
    new WebClient(token, { slackApiUrl: url, retryConfig: { retries: 0 } });

  const failure = async (promise: Promise<unknown>): Promise<StartupError> => {
    const error = await promise.then(
      () => assert.fail('expected a StartupError'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof StartupError);
    return error;
  };

  test('a refused token says where to copy the right one', async () => {
    const error = await failure(identify(client(slack.url, 'xoxb-wrong')));
    assert.equal(error.code, 'slack-auth');
    assert.match(error.message, /OAuth & Permissions/);
  });

  test('an HTTP 401 says Slack was reached but refused, not that it could not be reached', async () => {
    slack.failNext('auth.test', { status: 401 });
    const error = await failure(identify(client()));
    assert.equal(error.code, 'slack-http-error');
    assert.match(error.message, /^Slack answered HTTP 401/);
    assert.doesNotMatch(error.message, /Could not reach/);
  });

  test('no answer at all is "could not reach Slack"', async () => {
    const error = await failure(identify(client('http://127.0.0.1:9/api/')));
    assert.equal(error.code, 'slack-unreachable');
    assert.match(error.message, /Could not reach Slack/);
  });
});
