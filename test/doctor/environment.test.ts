import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkEnvironment } from '../../src/doctor/environment.js';

const good = {
  SLACK_BOT_TOKEN: 'xoxb-1-abc',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123',
  LUCCA_BASE_URL: 'https://example.ilucca.net',
  LUCCA_API_KEY: 'secret-key-123',
  EXPORT_CONFIGURATIONS: 'payroll=3',
  ALLOWED_USERS: 'U012ABC',
  ALLOWED_CHANNELS: 'C012PAY',
};

describe('environment check', () => {
  test('with no environment at all, every required variable is listed with where to find it', () => {
    const outcome = checkEnvironment({});
    const failed = outcome.results.filter((r) => r.status === 'fail');
    assert.deepEqual(
      failed.map((r) => r.label),
      [
        'SLACK_BOT_TOKEN is not set',
        'SLACK_SIGNING_SECRET is not set',
        'LUCCA_BASE_URL is not set',
        'LUCCA_API_KEY is not set',
      ],
    );
    const fixes = Object.fromEntries(failed.map((r) => [r.label.split(' ')[0], r.fix ?? '']));
    assert.match(fixes.SLACK_BOT_TOKEN!, /OAuth & Permissions.*SLACK_BOT_TOKEN=xoxb-/);
    assert.match(fixes.SLACK_SIGNING_SECRET!, /Basic Information.*SLACK_APP_TOKEN/);
    assert.match(fixes.LUCCA_BASE_URL!, /LUCCA_BASE_URL=https:\/\/example\.ilucca\.net/);
    assert.match(fixes.LUCCA_API_KEY!, /role may create Timesheet exports/);
    assert.deepEqual([...outcome.unusable].sort(), [
      'LUCCA_API_KEY',
      'LUCCA_BASE_URL',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
    ]);
  });

  test('nobody allowed, any channel and no alias: three warnings with their fix', () => {
    const warnings = checkEnvironment({}).results.filter((r) => r.status === 'warn');
    assert.equal(warnings.length, 3);
    assert.match(warnings[0]!.label, /ALLOWED_USERS is not set: nobody can run exports/);
    assert.match(warnings[0]!.fix!, /ALLOWED_USERS=U012ABCDEF/);
    assert.match(
      warnings[1]!.label,
      /ALLOWED_CHANNELS is not set: payroll files may be posted in any channel/,
    );
    assert.match(warnings[1]!.fix!, /Channel ID.*ALLOWED_CHANNELS=C012PAYROLL/);
    assert.match(warnings[2]!.label, /EXPORT_CONFIGURATIONS has no aliases/);
    assert.match(warnings[2]!.fix!, /second number in the export-configuration URL/);
  });

  test('an ALLOWED_USERS list with no id in it is "nobody" too', () => {
    const outcome = checkEnvironment({ ...good, ALLOWED_USERS: ' , ' });
    assert.match(outcome.results.find((r) => r.status === 'warn')!.label, /nobody can run exports/);
  });

  test('bad values are all reported at once, with the variable and a good example', () => {
    const outcome = checkEnvironment({
      ...good,
      EXPORT_STALL_AFTER: 'ten minutes',
      EXPORT_POLL_MIN: '2m',
      EXPORT_POLL_MAX: '30s',
      ALLOWED_USERS: 'ana',
      SCHEDULE_TIMEZONE: 'Europe/Lyon',
    });
    const failed = outcome.results.filter((r) => r.status === 'fail');
    assert.deepEqual(failed.map((r) => r.label.split(' ')[0]).sort(), [
      'ALLOWED_USERS',
      'EXPORT_POLL_MAX',
      'EXPORT_STALL_AFTER',
      'SCHEDULE_TIMEZONE',
    ]);
    const stall = failed.find((r) => r.label.startsWith('EXPORT_STALL_AFTER'))!;
    assert.match(stall.label, /"ten minutes" is not a duration/);
    assert.match(stall.fix!, /^Fix EXPORT_STALL_AFTER: .*EXPORT_STALL_AFTER=60m$/);
    // A bad ALLOWED_USERS is reported as bad, not also as "not set".
    assert.ok(!outcome.results.some((r) => /nobody can run exports/.test(r.label)));
    // The valid variables are still usable by the checks that follow.
    assert.equal(outcome.config.lucca.baseUrl, 'https://example.ilucca.net/');
    assert.ok(!outcome.unusable.has('LUCCA_API_KEY'));
    assert.ok(outcome.unusable.has('EXPORT_POLL_MIN'), 'the other half of a broken pair is not trusted');
  });

  test('a valid environment says so, in one line with the mode and the aliases', () => {
    const outcome = checkEnvironment(good);
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      ['ok'],
    );
    assert.match(outcome.results[0]!.detail!, /HTTP mode on port 3000 .* configurations payroll=3/);
  });

  test('the valid-settings line names the language the channel will read (APP_LANGUAGE)', () => {
    assert.match(
      checkEnvironment(good).results[0]!.detail!,
      /channel messages in English \(APP_LANGUAGE=en\)/,
    );
    const french = checkEnvironment({ ...good, APP_LANGUAGE: 'fr' });
    assert.match(french.results[0]!.detail!, /channel messages in French \(APP_LANGUAGE=fr\)/);
  });

  test('a bad APP_LANGUAGE fails with the values it takes', () => {
    const outcome = checkEnvironment({ ...good, APP_LANGUAGE: 'de' });
    const failure = outcome.results.find((r) => r.label.startsWith('APP_LANGUAGE'));
    assert.equal(failure?.status, 'fail');
    assert.match(failure!.fix!, /en or fr/);
    assert.match(failure!.fix!, /APP_LANGUAGE=fr/);
  });

  test('ALLOWED_USERS=* works but is flagged: payroll data for the whole workspace', () => {
    const outcome = checkEnvironment({ ...good, ALLOWED_USERS: '*' });
    assert.deepEqual(
      outcome.results.map((r) => r.status),
      ['ok', 'warn'],
    );
    assert.match(outcome.results[1]!.label, /everyone in the workspace/);
  });

  test('a bad app token: the token, and the signing secret HTTP mode then needs, each with a fix', () => {
    const outcome = checkEnvironment({ ...good, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xoxb-wrong' });
    const failed = outcome.results.filter((r) => r.status === 'fail');
    assert.deepEqual(
      failed.map((r) => r.label),
      ['SLACK_APP_TOKEN must be an app-level token starting with xapp-', 'SLACK_SIGNING_SECRET is not set'],
    );
    assert.match(failed[0]!.fix!, /connections:write/);
    assert.match(failed[1]!.fix!, /or set SLACK_APP_TOKEN to use Socket Mode/);
    assert.ok(outcome.unusable.has('SLACK_APP_TOKEN'));
  });
});
