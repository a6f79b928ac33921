import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type LuccaSimulator, startLuccaSimulator } from '../fakes/lucca-simulator/index.js';
import { type SlackStandIn, startSlackStandIn } from '../fakes/slack/index.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const KEY = 'lucca-main-DO-NOT-LEAK-0c0c';
const TOKEN = 'xoxb-main-DO-NOT-LEAK-5d5d';

/** `npm run doctor` as an operator runs it: a child process with exactly this environment. */
async function doctor(env: Record<string, string>, args: string[] = []) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/doctor/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
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

  test('with no environment: exit 1, every missing variable with its fix, network checks skipped with why', async () => {
    const { code, stdout } = await doctor({});
    assert.equal(code, 1);
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'LUCCA_BASE_URL', 'LUCCA_API_KEY']) {
      assert.match(stdout, new RegExp(`✗ ${variable} is not set\\n\\s+→ Set ${variable}`));
    }
    assert.match(stdout, /! Slack was not contacted\n\s+It needs SLACK_BOT_TOKEN/);
    assert.match(stdout, /! Lucca was not contacted\n\s+It needs LUCCA_BASE_URL and LUCCA_API_KEY/);
    assert.match(stdout, /✗ Not ready: 4 problems to fix/);
  });

  test('a good configuration against the fakes: exit 0 and "Ready"', async () => {
    const { code, stdout } = await doctor(good);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✓ Slack accepts SLACK_BOT_TOKEN/);
    assert.match(stdout, /✓ payroll \(#3\): Lucca answered/);
    assert.match(stdout, /✓ Ready/);
    assert.ok(!stdout.includes('✗'));
  });

  test('a bad configuration: each problem once, with its fix, and no secret printed', async () => {
    const { code, stdout } = await doctor({
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

  test('--json gives the same results for scripts', async () => {
    const { code, stdout } = await doctor({ ...good, LUCCA_API_KEY: 'nope' }, ['--json']);
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
