import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifySlackError, SlackTokenHealth } from '../../src/bot/slack-errors.js';

const platform = (error: string) => ({ code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('Slack errors, classified once for every caller', () => {
  const cases: [unknown, string][] = [
    [platform('invalid_auth'), 'auth'],
    [platform('not_authed'), 'auth'],
    [platform('token_revoked'), 'auth'],
    [platform('token_expired'), 'auth'],
    [platform('account_inactive'), 'auth'],
    [platform('ratelimited'), 'rate-limited'],
    [{ code: 'slack_webapi_rate_limited_error', retryAfter: 3 }, 'rate-limited'],
    [{ code: 'slack_webapi_http_error', statusCode: 429 }, 'rate-limited'],
    [platform('internal_error'), 'transient'],
    [platform('service_unavailable'), 'transient'],
    [{ code: 'slack_webapi_http_error', statusCode: 503 }, 'transient'],
    [{ code: 'slack_webapi_request_error' }, 'transient'],
    [platform('not_in_channel'), 'permanent'],
    [platform('invalid_blocks'), 'permanent'],
    [platform('msg_too_long'), 'permanent'],
    [platform('missing_scope'), 'permanent'],
    [{ code: 'slack_webapi_http_error', statusCode: 404 }, 'permanent'],
  ];
  for (const [error, kind] of cases) {
    test(`${JSON.stringify(error)} is ${kind}`, () => {
      assert.equal(classifySlackError(error), kind);
    });
  }

  test('a refused token is logged once, with the fix, and reported until the restart', () => {
    const logged: string[] = [];
    const health = new SlackTokenHealth((message) => logged.push(message));
    assert.equal(health.problem(), undefined);
    assert.equal(health.report('token_revoked'), true);
    assert.equal(health.report('invalid_auth'), false);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /token_revoked.*SLACK_BOT_TOKEN.*restart/);
    assert.equal(health.problem(), 'Slack refused SLACK_BOT_TOKEN (token_revoked)');
  });
});
