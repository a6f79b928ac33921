import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startSlackStandIn } from '../fakes/slack/index.js';
import { spawnApp, waitUntilReady } from './helpers/app-process.js';
import { PROCESS_TEST_TIMEOUT } from './helpers/child-processes.js';
import { freePort } from './helpers/free-port.js';

/** `npm start` as a new admin meets it: the real src/main.ts in a child process. */
describe('start-up messages', () => {
  test('with neither token of a mode, it says Socket Mode is the other way out, as the doctor does', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const app = spawnApp(
      t,
      { SLACK_BOT_TOKEN: 'xoxb-1-abc', LUCCA_BASE_URL: 'http://127.0.0.1:9', LUCCA_API_KEY: 'k' },
      await freePort(),
    );
    const { code } = await app.exited;
    assert.equal(code, 1);
    const output = app.output.join('\n');
    assert.match(
      output,
      /- SLACK_SIGNING_SECRET: is not set \(for example SLACK_SIGNING_SECRET=\w+\); or set SLACK_APP_TOKEN for Socket Mode/,
    );
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  test('warns when nobody may run exports and when any channel may receive payroll files', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const token = 'xoxb-main-test-1';
    const slack = await startSlackStandIn({ botToken: token });
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    t.after(async () => {
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const env = {
      SLACK_BOT_TOKEN: token,
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      SLACK_API_URL: slack.url,
      LUCCA_BASE_URL: 'http://127.0.0.1:9',
      LUCCA_API_KEY: 'k',
      EXPORT_CONFIGURATIONS: 'payroll=3',
      DATABASE_PATH: path.join(dir, 'db.sqlite'),
    };
    const app = spawnApp(t, env, await freePort());
    await waitUntilReady(app);
    const warnings = app.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; fix?: string })
      .filter((line) => line.level === 'warn');
    const texts = warnings.map((w) => `${w.msg} → ${w.fix}`);
    assert.equal(texts.length, 2, texts.join('\n'));
    assert.match(texts[0]!, /^ALLOWED_USERS is not set: nobody can run exports → Set ALLOWED_USERS/);
    assert.match(texts[1]!, /^ALLOWED_CHANNELS is not set: payroll files may be posted in any channel/);
    assert.equal((await app.kill('SIGTERM')).code, 0);
  });

  test('when Slack cannot be reached, the Slack client retries are JSON log lines, not raw [WARN] lines', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'main-test-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const app = spawnApp(
      t,
      {
        SLACK_BOT_TOKEN: 'xoxb-main-unreachable-1',
        SLACK_SIGNING_SECRET: '0123456789abcdef0123',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
        LUCCA_BASE_URL: 'http://127.0.0.1:9',
        LUCCA_API_KEY: 'k',
        ALLOWED_USERS: '*',
        ALLOWED_CHANNELS: 'C012PAYROLL',
        DATABASE_PATH: path.join(dir, 'db.sqlite'),
      },
      await freePort(),
    );
    const { code } = await app.exited;
    assert.equal(code, 1);
    const output = app.output.join('\n');
    assert.match(output, /Could not reach Slack/);
    assert.doesNotMatch(output, /\[WARN\]|web-api:WebClient/, 'no line of the WebClient own logger');
    const retries = app.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; msg: string; component?: string })
      .filter((line) => /http request failed/.test(line.msg));
    assert.ok(retries.length >= 1, 'each failed attempt is logged');
    assert.ok(retries.every((line) => line.level === 'warn' && line.component === 'web-api'));
    assert.doesNotMatch(output, /xoxb-main-unreachable-1/);
  });
});
