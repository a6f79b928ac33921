import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { readConfig } from '../../src/config.js';
import { checkSlack } from '../../src/doctor/slack.js';

const TOKEN = 'xoxb-doctor-DO-NOT-LEAK-1a2b';
const MANIFEST_SCOPES = ['commands', 'chat:write', 'files:write', 'usergroups:read'];

describe('Slack check against the Slack stand-in', () => {
  let slack: SlackStandIn;
  const config = (env: Record<string, string> = {}) =>
    readConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      SLACK_API_URL: slack.url,
      LUCCA_BASE_URL: 'https://example.ilucca.net',
      LUCCA_API_KEY: 'k',
      ...env,
    });

  before(async () => {
    slack = await startSlackStandIn({ botToken: TOKEN });
  });
  beforeEach(() => {
    slack.reset();
    slack.setScopes(MANIFEST_SCOPES);
  });
  after(() => slack.close());

  test('a good token with the manifest scopes passes, naming the workspace', async () => {
    const results = await checkSlack(config());
    assert.deepEqual(
      results.map((r) => r.status),
      ['ok', 'ok', 'ok'],
    );
    assert.match(results[0]!.detail!, /workspace Example \(T0TEST\)/);
    assert.match(results[2]!.label, /HTTP mode/);
    assert.equal(slack.callsTo('auth.test').length, 1);
  });

  test('a missing scope fails and says to reinstall the app', async () => {
    slack.setScopes(['commands', 'chat:write', 'usergroups:read']);
    const scope = (await checkSlack(config()))[1]!;
    assert.equal(scope.status, 'fail');
    assert.equal(scope.label, 'The bot token lacks the scope files:write');
    assert.match(scope.detail!, /uploading the export files/);
    assert.match(scope.fix!, /reinstall the app to the workspace/);
  });

  test('extra scopes are fine', async () => {
    slack.setScopes([...MANIFEST_SCOPES, 'channels:read']);
    assert.equal((await checkSlack(config()))[1]!.status, 'ok');
  });

  test('without the optional users:read the scope check still passes, and says personal replies use APP_LANGUAGE', async () => {
    const scope = (await checkSlack(config({ APP_LANGUAGE: 'fr' })))[1]!;
    assert.equal(scope.status, 'ok');
    assert.match(
      scope.detail!,
      /Optional users:read is not granted, so personal replies use APP_LANGUAGE \(fr\)/,
    );
  });

  test('with users:read granted the scope check says replies follow each person’s language', async () => {
    slack.setScopes([...MANIFEST_SCOPES, 'users:read']);
    const scope = (await checkSlack(config()))[1]!;
    assert.equal(scope.status, 'ok');
    assert.match(scope.detail!, /Optional users:read is granted: .*each person's Slack language/);
  });

  test('a refused token fails with where to copy it from, and stops there', async () => {
    const results = await checkSlack(config({ SLACK_BOT_TOKEN: 'xoxb-someone-else' }));
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.equal(results[0]!.label, 'Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    assert.match(results[0]!.fix!, /OAuth & Permissions/);
  });

  test('an unreachable Slack fails with the network fix', async () => {
    const results = await checkSlack(config({ SLACK_API_URL: 'http://127.0.0.1:9/api/' }));
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.label, /could not be reached at http:\/\/127\.0\.0\.1:9\/api\//);
  });

  test('an HTTP 401 from whatever answers at SLACK_API_URL is told apart from an unreachable Slack', async () => {
    slack.failNext('auth.test', { status: 401 });
    const results = await checkSlack(config());
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'fail');
    assert.match(results[0]!.label, /^Slack answered HTTP 401 at http:\/\/127\.0\.0\.1:\d+\/api\/ /);
    assert.doesNotMatch(results[0]!.label, /could not be reached/);
    assert.match(results[0]!.fix!, /proxy/);
  });

  test('a 5xx points at an outage, not at the token', async () => {
    slack.failNext('auth.test', { status: 503 });
    const [result] = await checkSlack(config());
    assert.match(result!.label, /^Slack answered HTTP 503 /);
    assert.match(result!.fix!, /outage/);
  });

  test('a Socket Mode token Slack accepts passes', async () => {
    const results = await checkSlack(
      config({ SLACK_APP_TOKEN: slack.socketMode.appToken, SLACK_SIGNING_SECRET: '' }),
    );
    assert.equal(results[2]!.status, 'ok');
    assert.equal(results[2]!.label, 'Slack accepts SLACK_APP_TOKEN (Socket Mode)');
  });

  test('a Socket Mode token Slack cannot confirm is a warning that says it was not checked', async () => {
    slack.failNext('apps.connections.open', { error: 'internal_error' });
    const results = await checkSlack(config({ SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: '' }));
    const socket = results[2]!;
    assert.equal(socket.status, 'warn');
    assert.match(socket.label, /could not confirm/);
    assert.match(socket.detail!, /internal_error/);
  });

  test('an app-level token Slack does not know fails (invalid_auth)', async () => {
    const results = await checkSlack(config({ SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: '' }));
    assert.equal(results[2]!.status, 'fail');
    assert.equal(results[2]!.label, 'Slack refused SLACK_APP_TOKEN (invalid_auth)');
  });

  test('a refused Socket Mode token fails', async () => {
    slack.failNext('apps.connections.open', { error: 'invalid_auth' });
    const results = await checkSlack(config({ SLACK_APP_TOKEN: 'xapp-1-abc', SLACK_SIGNING_SECRET: '' }));
    assert.equal(results[2]!.status, 'fail');
    assert.match(results[2]!.fix!, /App-Level Tokens/);
  });

  test('skipped, with the reason, when the token is unusable', async () => {
    const results = await checkSlack(config(), { unusable: new Set(['SLACK_BOT_TOKEN']) });
    assert.equal(results.length, 1);
    assert.equal(results[0]!.status, 'warn');
    assert.match(results[0]!.detail!, /needs SLACK_BOT_TOKEN/);
    assert.equal(slack.calls.length, 0);
  });

  test('the token never appears in any result', async () => {
    slack.setScopes([]);
    const text = JSON.stringify(await checkSlack(config()));
    assert.ok(!text.includes(TOKEN));
  });
});
