import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WebClient } from '@slack/web-api';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import { SlackDelivery } from '../../src/bot/delivery.js';
import type { Run } from '../../src/exports/types.js';
import { openDatabase } from '../../src/store/database.js';
import { DeliveryReceiptStore } from '../../src/store/delivery-receipts.js';
import { RunStore } from '../../src/store/run-store.js';
import { silentLogger } from '../../src/util/log.js';

let slack: SlackStandIn;
let dir: string;
before(async () => {
  slack = await startSlackStandIn();
  dir = mkdtempSync(path.join(tmpdir(), 'delivery-'));
});
after(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function setUp() {
  const db = openDatabase(':memory:');
  const store = new RunStore(db);
  const { run } = store.createRun(
    { configurationId: 3, endsAt: '2026-12-01', requestedBy: 'U0ANA', source: 'command', channelId: 'C0PAY' },
    Date.now(),
  );
  const delivery = new SlackDelivery({
    client: new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } }),
    identity: { userId: 'U0BOT', botId: 'B0BOT', teamId: 'T0', workspaceUrl: 'https://acme.slack.com/' },
    channelAllowed: (channel) => channel === 'C0PAY',
    receipts: new DeliveryReceiptStore(db),
    language: 'en',
    logger: silentLogger,
  });
  return { run, delivery };
}

test('a delivery retried after a partial upload sends only the files Slack does not have yet', async () => {
  const { run, delivery } = setUp();
  const first = path.join(dir, 'establishment-a.csv');
  const second = path.join(dir, 'establishment-b.csv');
  writeFileSync(first, 'a;1\r\n');
  const withFiles: Run = {
    ...run,
    threadTs: '1764000000.000100',
    files: [
      { name: 'establishment-a.csv', path: first, bytes: 5, origin: 'lucca' },
      { name: 'establishment-b.csv', path: second, bytes: 5, origin: 'lucca' },
    ],
  };
  await assert.rejects(
    delivery.deliver(withFiles),
    (error: { code: string }) => error.code === 'file-missing',
  );
  assert.deepEqual(
    slack.uploads.filter((u) => u.completed).map((u) => u.filename),
    ['establishment-a.csv'],
  );

  writeFileSync(second, 'b;2\r\n');
  await delivery.deliver(withFiles);
  const completed = slack.uploads.filter((u) => u.completed);
  assert.deepEqual(
    completed.map((u) => u.filename),
    ['establishment-a.csv', 'establishment-b.csv'],
  );
  assert.match(
    completed[0]!.initial_comment ?? '',
    /<@U0ANA>, your export is ready: configuration #3, November 2026\./,
  );
  assert.match(completed[0]!.initial_comment ?? '', /archives\/C0PAY\/p1764000000000100/);
  assert.equal(completed[1]!.initial_comment, undefined, 'one comment per delivery, not per file');
});

test('a channel outside ALLOWED_CHANNELS gets nothing, with a reason a person can act on', async () => {
  const { run, delivery } = setUp();
  const before = slack.calls.length;
  await assert.rejects(
    delivery.deliver({ ...run, channelId: 'C0ELSEWHERE' }),
    (error: { code: string; retryable: boolean }) => error.code === 'channel-not-allowed' && !error.retryable,
  );
  assert.equal(slack.calls.length, before);
});
