import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type LuccaSimulator, startLuccaSimulator } from '../../fakes/lucca-simulator/index.js';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { type ChildOwner, childEnv, PROCESS_TEST_TIMEOUT, runChild } from '../helpers/child-processes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const KEY = 'lucca-main-DO-NOT-LEAK-0c0c';
const TOKEN = 'xoxb-main-DO-NOT-LEAK-5d5d';

/**
 * `npm run doctor` as an operator runs it: a child process with this environment (plus the test's own
 * minus any app setting, so that a faked clock reaches it), killed if the test ends first.
 */
function doctor(t: ChildOwner, env: Record<string, string>, args: string[] = []) {
  return runChild(t, process.execPath, ['--import', 'tsx', 'src/doctor/main.ts', ...args], {
    cwd: ROOT,
    env: childEnv(env),
  });
}

describe('npm run doctor (child process)', () => {
  let sim: LuccaSimulator;
  let slack: SlackStandIn;
  let dir: string;
  let good: Record<string, string>;
  before(async () => {
    sim = await startLuccaSimulator({ apiKey: KEY });
    slack = await startSlackStandIn({ botToken: TOKEN });
    slack.setScopes(['commands', 'chat:write', 'files:write', 'usergroups:read']);
    dir = mkdtempSync(path.join(tmpdir(), 'doctor-main-'));
    good = {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: '0123456789abcdef0123',
      SLACK_API_URL: slack.url,
      LUCCA_BASE_URL: sim.url,
      LUCCA_API_KEY: KEY,
      EXPORT_CONFIGURATIONS: 'payroll=3',
      ALLOWED_USERS: 'U0ANA',
      DATABASE_PATH: path.join(dir, 'app.sqlite'),
    };
  });
  after(async () => {
    await sim.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('with no environment: exit 1, every missing variable with its fix, network checks skipped with why', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const { code, stdout } = await doctor(t, {});
    assert.equal(code, 1);
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'LUCCA_BASE_URL', 'LUCCA_API_KEY']) {
      assert.match(stdout, new RegExp(`✗ ${variable} is not set\\n\\s+→ Set ${variable}`));
    }
    assert.match(stdout, /! Slack was not contacted\n\s+It needs SLACK_BOT_TOKEN/);
    assert.match(stdout, /! Lucca was not contacted\n\s+It needs LUCCA_BASE_URL and LUCCA_API_KEY/);
    assert.match(stdout, /✗ Not ready: 4 problems to fix/);
  });

  test('a good configuration against the fakes: exit 0 and "Ready"', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const { code, stdout } = await doctor(t, good);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✓ Slack accepts SLACK_BOT_TOKEN/);
    assert.match(stdout, /✓ payroll \(#3\): Lucca answered/);
    assert.match(stdout, /✓ Ready/);
    assert.ok(!stdout.includes('✗'));
  });

  test('a bad configuration: each problem once, with its fix, and no secret printed', {
    timeout: PROCESS_TEST_TIMEOUT,
  }, async (t) => {
    const { code, stdout } = await doctor(t, {
      ...good,
      LUCCA_API_KEY: 'wrong-key-DO-NOT-LEAK',
      SLACK_SIGNING_SECRET: '',
      EXPORT_POLL_MIN: '5 minutes',
    });
    assert.equal(code, 1);
    assert.match(stdout, /✗ SLACK_SIGNING_SECRET is not set/);
    assert.match(stdout, /✗ EXPORT_POLL_MIN "5 minutes" is not a duration/);
    assert.match(stdout, /✗ Lucca refused LUCCA_API_KEY \(HTTP 401\)/);
    assert.match(stdout, /✗ Not ready: 3 problems to fix/);
    assert.ok(!stdout.includes('HTTP mode: Slack must reach'), 'no ✓ for HTTP mode without its secret');
    assert.ok(!stdout.includes('wrong-key-DO-NOT-LEAK'));
    assert.ok(!stdout.includes(TOKEN));
  });

  test('--json gives the same results for scripts', { timeout: PROCESS_TEST_TIMEOUT }, async (t) => {
    const { code, stdout } = await doctor(t, { ...good, LUCCA_API_KEY: 'nope' }, ['--json']);
    assert.equal(code, 1);
    const parsed = JSON.parse(stdout) as {
      ok: boolean;
      checks: { section: string; status: string; fix?: string }[];
    };
    assert.equal(parsed.ok, false);
    const lucca = parsed.checks.filter((c) => c.section === 'Lucca');
    assert.deepEqual(
      lucca.map((c) => c.status),
      ['fail'],
    );
    assert.match(lucca[0]!.fix!, /LUCCA_API_KEY/);
  });
});
