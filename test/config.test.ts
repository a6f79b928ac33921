import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, readConfig, secretsOf } from '../src/config.js';

const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-abc',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123',
  LUCCA_BASE_URL: 'https://example.ilucca.net',
  LUCCA_API_KEY: 'secret-key-123',
};

function problemsOf(env: Record<string, string | undefined>, purpose: 'app' | 'cli' = 'app') {
  try {
    readConfig(env, purpose);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('readConfig', () => {
  test('applies the contract defaults', () => {
    const config = readConfig(base);
    assert.equal(config.slack.port, 3000);
    assert.equal(config.slack.apiUrl, 'https://slack.com/api/');
    assert.equal(config.lucca.maxRequestsPerMinute, 20);
    assert.equal(config.exports.triggerTimeoutMs, 30_000);
    assert.equal(config.exports.pollMinMs, 5_000);
    assert.equal(config.exports.pollMaxMs, 60_000);
    assert.equal(config.exports.stallAfterMs, 3_600_000);
    assert.deepEqual(config.exports.configurations, {});
    assert.equal(config.access.allowedUsers, undefined);
    assert.equal(config.access.allowedChannels, undefined);
    assert.equal(config.databasePath, 'data/timesheet-export.sqlite');
    assert.equal(config.exports.filesDir, 'data/exports');
    assert.equal(config.schedule.timezone, 'Europe/Paris');
    assert.equal(config.logLevel, 'info');
  });

  test('durations accept 90, 90s, 15m and 1h', () => {
    const config = readConfig({
      ...base,
      EXPORT_TRIGGER_TIMEOUT: '90',
      EXPORT_POLL_MIN: '90s',
      EXPORT_POLL_MAX: '15m',
      EXPORT_STALL_AFTER: '1h',
    });
    assert.equal(config.exports.triggerTimeoutMs, 90_000);
    assert.equal(config.exports.pollMinMs, 90_000);
    assert.equal(config.exports.pollMaxMs, 900_000);
    assert.equal(config.exports.stallAfterMs, 3_600_000);
  });

  test('aliases, users, groups and channels are parsed', () => {
    const config = readConfig({
      ...base,
      EXPORT_CONFIGURATIONS: 'payroll=3, Overtime=7',
      ALLOWED_USERS: 'U012ABC,S0PAYROLL',
      ALLOWED_CHANNELS: 'C0PAY',
    });
    assert.deepEqual(config.exports.configurations, { payroll: 3, overtime: 7 });
    assert.deepEqual(config.access.allowedUsers, ['U012ABC', 'S0PAYROLL']);
    assert.deepEqual(config.access.allowedChannels, ['C0PAY']);
    assert.equal(readConfig({ ...base, ALLOWED_USERS: '*' }).access.allowedUsers, '*');
  });

  test('every missing variable is reported at once, by name, with an example', () => {
    const problems = problemsOf({});
    assert.deepEqual(
      problems.map((p) => p.variable),
      ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'LUCCA_BASE_URL', 'LUCCA_API_KEY'],
    );
    for (const p of problems) assert.ok(p.example.length > 0);
  });

  test('Socket Mode does not need the signing secret; the CLI needs no Slack at all', () => {
    const { SLACK_SIGNING_SECRET: _, ...socket } = base;
    assert.equal(readConfig({ ...socket, SLACK_APP_TOKEN: 'xapp-1-abc' }).slack.appToken, 'xapp-1-abc');
    const config = readConfig({ LUCCA_BASE_URL: base.LUCCA_BASE_URL, LUCCA_API_KEY: 'k-123' }, 'cli');
    assert.equal(config.lucca.apiKey, 'k-123');
  });

  test('bad values name the variable and say what is wrong', () => {
    const problems = problemsOf({
      ...base,
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      LUCCA_BASE_URL: 'ftp://lucca',
      LUCCA_MAX_REQUESTS_PER_MINUTE: '500',
      EXPORT_POLL_MIN: 'soon',
      EXPORT_CONFIGURATIONS: 'payroll=three',
      ALLOWED_USERS: 'alice',
      SCHEDULE_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
    });
    const byName = new Map(problems.map((p) => [p.variable, p.problem]));
    assert.match(byName.get('SLACK_BOT_TOKEN')!, /xoxb-/);
    assert.match(byName.get('PORT')!, /"eighty"/);
    assert.match(byName.get('LUCCA_BASE_URL')!, /https/);
    assert.match(byName.get('LUCCA_MAX_REQUESTS_PER_MINUTE')!, /1 to 50/);
    assert.match(byName.get('EXPORT_POLL_MIN')!, /"soon" is not a duration/);
    assert.match(byName.get('EXPORT_CONFIGURATIONS')!, /payroll=three/);
    assert.match(byName.get('ALLOWED_USERS')!, /"alice"/);
    assert.match(byName.get('SCHEDULE_TIMEZONE')!, /IANA/);
    assert.ok(byName.has('LOG_LEVEL'));
  });

  test('poll bounds must be in order, and an alias may not shadow a command word', () => {
    assert.deepEqual(
      problemsOf({ ...base, EXPORT_POLL_MIN: '2m', EXPORT_POLL_MAX: '1m' }).map((p) => p.variable),
      ['EXPORT_POLL_MAX'],
    );
    assert.match(problemsOf({ ...base, EXPORT_CONFIGURATIONS: 'status=3' })[0]!.problem, /command word/);
  });

  test('an alias named like an object property is an alias like any other', () => {
    const config = readConfig({ ...base, EXPORT_CONFIGURATIONS: 'constructor=3,toString=4' });
    assert.deepEqual(config.exports.configurations, { constructor: 3, tostring: 4 });
  });

  test('messages quote the bad value as written', () => {
    const problems = problemsOf({
      ...base,
      LOG_LEVEL: 'verbose',
      SCHEDULE_TIMEZONE: 'Paris',
      EXPORT_STALL_AFTER: '5s',
      LUCCA_BASE_URL: 'ftp://lucca.example',
    });
    const byName = new Map(problems.map((p) => [p.variable, p.problem]));
    assert.equal(byName.get('LOG_LEVEL'), '"verbose" is not one of debug, info, warn, error');
    assert.equal(
      byName.get('SCHEDULE_TIMEZONE'),
      '"Paris" is not an IANA time zone — did you mean Europe/Paris?',
    );
    assert.equal(byName.get('EXPORT_STALL_AFTER'), '"5s" is too short: it must be at least 10s');
    assert.equal(byName.get('LUCCA_BASE_URL'), '"ftp://lucca.example" must start with https://');
    const poll = problemsOf({ ...base, EXPORT_POLL_MIN: '2m', EXPORT_POLL_MAX: '1m' })[0]!;
    assert.equal(poll.problem, '"1m" must not be shorter than EXPORT_POLL_MIN ("2m")');
  });

  test('a time zone is suggested only when its city matches', () => {
    const zone = (text: string) =>
      problemsOf({ ...base, SCHEDULE_TIMEZONE: text }).find((p) => p.variable === 'SCHEDULE_TIMEZONE')!
        .problem;
    assert.match(zone('new york'), /did you mean America\/New_York\?$/);
    assert.match(
      zone('Europe/Pariss'),
      /^"Europe\/Pariss" is not an IANA time zone \(Area\/City, e\.g\. Europe\/Paris\)$/,
    );
    assert.equal(readConfig({ ...base, LOG_LEVEL: 'WARN' }).logLevel, 'warn');
  });

  test('every bad alias entry is reported, not only the first', () => {
    const problems = problemsOf({
      ...base,
      EXPORT_CONFIGURATIONS: 'payroll=3, overtime:7, 9=x, payroll=4, status=2, bonus=8',
    });
    assert.deepEqual(
      problems.map((p) => `${p.variable} ${p.problem}`),
      [
        'EXPORT_CONFIGURATIONS "overtime:7" is not alias=id (an alias starts with a letter, the id is a number)',
        'EXPORT_CONFIGURATIONS "9=x" is not alias=id (an alias starts with a letter, the id is a number)',
        'EXPORT_CONFIGURATIONS the alias "payroll" is given twice',
        'EXPORT_CONFIGURATIONS "status" is a command word and cannot be an alias',
      ],
    );
  });

  test('secret values are never quoted back', () => {
    const text = JSON.stringify(
      problemsOf({
        ...base,
        SLACK_BOT_TOKEN: 'xoxp-user-secret-1',
        SLACK_APP_TOKEN: 'xoxb-not-app-secret-2',
        SLACK_SIGNING_SECRET: 'not-hex-secret-3',
        LUCCA_API_KEY: 'key with secret-4',
        LUCCA_BASE_URL: 'https://user:secret-5@example.ilucca.net',
      }),
    );
    for (const secret of ['secret-1', 'secret-2', 'secret-3', 'secret-4', 'secret-5'])
      assert.ok(!text.includes(secret), secret);
  });

  test('the error message lists problems without echoing secrets it was given', () => {
    const error = (() => {
      try {
        readConfig({ ...base, LUCCA_API_KEY: 'has spaces in key', PORT: '0' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    assert.ok(error);
    assert.ok(!error.message.includes('has spaces in key'));
    assert.match(error.message, /PORT/);
  });

  test('secretsOf lists the key and tokens for log redaction', () => {
    const config = readConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1-zzz' });
    assert.deepEqual(
      secretsOf(config).sort(),
      ['0123456789abcdef0123', 'secret-key-123', 'xapp-1-zzz', 'xoxb-1-abc'].sort(),
    );
  });
});
