/**
 * The Lucca API key, the bot token and the signing secret are distinctive strings here; the app goes
 * through every kind of scenario (success, refusals whose bodies echo the key, gateway pages echoing
 * the request headers, stall, retry, cancel, Slack failures, a restart), with its logger's redaction
 * turned OFF. Then every log line, every Slack call and reply, the database file and the export
 * folder are searched: the secrets must appear nowhere, because the code never handed them out.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ACTION_CANCEL, ACTION_RETRY } from '../../src/bot/messages/run-message.js';
import { scheduleExtension } from '../../src/schedule-extension.js';
import {
  BOT_TOKEN,
  eventually,
  type Harness,
  LUCCA_KEY,
  PAYROLL,
  SIGNING_SECRET,
  startHarness,
} from '../helpers/app-harness.js';
import { steppingLuccaClient } from '../helpers/stepping-clock.js';

const SECRETS = { LUCCA_KEY, BOT_TOKEN, SIGNING_SECRET };
const noCron = () => ({ stop() {}, destroy() {} });

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secrets appear in no log line, Slack message, database row or file', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      rawLogs: true,
      luccaClient: steppingLuccaClient(),
      lucca: { buildMs: 30_000 },
      compose: { extend: (parts) => scheduleExtension(parts, { cron: noCron }) },
    });
  });
  after(() => h.close());

  test('scenario: a normal run to delivery', async () => {
    await h.command('payroll 2026-12-01');
    const run = await h.postedRun((r) => r.configurationId === 3);
    await h.settle();
    await h.advance(60_000);
    assert.equal(h.app.store.get(run.id)!.state, 'done');
  });

  test('scenario: Lucca refuses the key with a body that quotes it', async () => {
    h.sim.failNext(
      { pathIncludes: 'paging' },
      {
        status: 401,
        body: JSON.stringify({
          Status: 401,
          Message: `Invalid key ${LUCCA_KEY} (lucca application=${LUCCA_KEY})`,
        }),
      },
    );
    await h.command('payroll 2026-11-01');
    const run = await h.postedRun((r) => r.endsAt === '2026-11-01');
    await h.settle();
    const failed = h.app.store.get(run.id)!;
    assert.equal(failed.state, 'failed');
    assert.match(failed.errorMessage ?? '', /LUCCA_API_KEY/);
  });

  test('scenario: the POST is rejected (400) with the key and the Authorization header echoed back', async () => {
    h.sim.failNext(
      { method: 'POST' },
      {
        status: 400,
        body: JSON.stringify({
          Status: 400,
          Message: `endsAt refused; headers: Authorization: lucca application=${LUCCA_KEY}; key=${LUCCA_KEY}`,
        }),
      },
    );
    await h.click(ACTION_RETRY, h.app.store.recent(10).find((r) => r.endsAt === '2026-11-01')!.id);
    await h.settle();
    const failed = h.app.store.recent(10).find((r) => r.endsAt === '2026-11-01')!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.errorCode, 'bad-request');
  });

  test('scenario: a gateway error page echoing the request headers, then recovery', async () => {
    h.sim.failNext(
      { pathIncludes: 'greaterthan' },
      {
        status: 502,
        body: `<html><pre>GET /api/v3/timmiexports\nAuthorization: lucca application=${LUCCA_KEY}</pre></html>`,
        headers: { 'content-type': 'text/html' },
      },
      4,
    );
    await h.command('overtime 2026-12-01');
    const run = await h.postedRun((r) => r.configurationId === 7);
    await h.settle();
    await h.advance(5 * 60_000, 10_000);
    assert.equal(h.app.store.get(run.id)!.state, 'done');
  });

  test('scenario: Slack refuses the upload with invalid_auth and a 500, then Retry', async () => {
    h.slack.failNext('files.getUploadURLExternal', { error: 'invalid_auth' });
    h.slack.failNext('chat.update', { status: 500, body: `token ${BOT_TOKEN} rejected` }, 4);
    await h.command('payroll 2026-10-01');
    const run = await h.postedRun((r) => r.endsAt === '2026-10-01');
    await h.settle();
    await h.advance(2 * 60_000, 10_000);
    assert.equal(h.app.store.get(run.id)!.state, 'failed');
    await h.click(ACTION_RETRY, run.id);
    await eventually(() => h.app.store.get(run.id)!.state !== 'failed', 'the retry');
    await h.advance(60_000, 10_000);
    assert.equal(h.app.store.get(run.id)!.state, 'done');
  });

  test('scenario: a stall, Retry, Cancel, and a restart mid-run', async () => {
    h.sim.configure(3, { buildMs: 'never' });
    await h.command('payroll 2026-09-01');
    const run = await h.postedRun((r) => r.endsAt === '2026-09-01');
    await h.settle();
    await h.advance(61 * 60_000, 60_000);
    assert.equal(h.app.store.get(run.id)!.state, 'stalled');
    await h.click(ACTION_RETRY, run.id);
    await eventually(() => h.app.store.get(run.id)!.state !== 'stalled', 'the retry');
    await h.settle();
    await h.restart({ workerId: 'after-restart' });
    await h.settle();
    await h.click(ACTION_CANCEL, run.id);
    await eventually(() => h.app.store.get(run.id)!.state === 'cancelled', 'cancelled');
    await h.settle();
    await h.command('status');
    await h.command('schedule add payroll month-start at 07:00');
    await h.command('help');
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  test('then: zero hits in logs, Slack calls and replies, the database, the export files, /healthz', async () => {
    await h.settle();
    const health = await (await fetch(`${h.app.url}/healthz`)).text();
    const places: Record<string, string> = {
      'log lines (unredacted)': h.logs.join('\n'),
      'Slack calls': h.slack.calls.map((c) => JSON.stringify(c.args)).join('\n'),
      'Slack replies': h.slack.responses.map((r) => JSON.stringify(r.body)).join('\n'),
      'Slack messages': JSON.stringify(h.slack.messages),
      'Slack views': JSON.stringify(h.slack.views),
      '/healthz': health,
    };
    for (const file of filesUnder(h.dir)) {
      if (statSync(file).size < 50_000_000)
        places[path.relative(h.dir, file)] = readFileSync(file).toString('latin1');
    }
    assert.ok(
      Object.keys(places).some((p) => p.endsWith('.sqlite')),
      'the database was searched',
    );
    assert.ok(h.logs.length > 100, 'there are logs to search');
    for (const [where, text] of Object.entries(places)) {
      for (const [name, secret] of Object.entries(SECRETS)) {
        assert.ok(!text.includes(secret), `${name} found in ${where}`);
      }
    }
    // The Slack token travels where it must: in the Authorization header of calls to Slack, only.
    assert.ok(h.slack.calls.every((c) => c.token === BOT_TOKEN));
  });
});

describe('the channel a secret might reach: thread text of a failure', () => {
  test('a refusal quoting the key shows the sentence, not the key', async () => {
    const h = await startHarness({ rawLogs: true, luccaClient: steppingLuccaClient() });
    try {
      h.sim.failNext(
        { pathIncludes: 'paging' },
        { status: 403, body: JSON.stringify({ Status: 403, Message: LUCCA_KEY }) },
      );
      await h.command('payroll');
      const run = await h.postedRun();
      await h.settle();
      const thread = JSON.stringify(h.slack.threadOf(PAYROLL, run.threadTs!));
      assert.match(thread, /not allowed to create Timesheet exports/);
      assert.ok(!thread.includes(LUCCA_KEY));
      assert.ok(!h.logs.join('\n').includes(LUCCA_KEY));
    } finally {
      await h.close();
    }
  });
});
