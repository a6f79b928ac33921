import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { type SlackStandIn, startSlackStandIn } from '../../fakes/slack/index.js';
import {
  SlackDeliveryError,
  SlackUploadError,
  slackErrorToDelivery,
  uploadFileStreaming,
} from '../../src/bot/slack-upload.js';

const { WebClient } = webApi;

describe('uploadFileStreaming against the Slack stand-in', () => {
  let slack: SlackStandIn;
  let client: InstanceType<typeof WebClient>;
  let dir: string;
  let csv: string;
  const content = Buffer.from('Matricule;Nom;Heures\n0042;Lovelace;151,67\n0043;Hopper;140,00\n');

  before(async () => {
    slack = await startSlackStandIn();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    dir = await mkdtemp(join(tmpdir(), 'slack-upload-'));
    csv = join(dir, 'export-payroll-2026-12-01.csv');
    await writeFile(csv, content);
  });
  after(async () => {
    await slack.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => slack.reset());

  test('the bytes Slack receives are the file, shared in the thread with the comment', async () => {
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'Export payroll' });
    const { fileId } = await uploadFileStreaming(client, {
      path: csv,
      filename: 'export-payroll-2026-12-01.csv',
      title: 'Payroll export to 2026-12-01',
      channelId: 'C1',
      threadTs: parent.ts!,
      initialComment: 'Here is the export.',
    });

    const [upload] = slack.uploads;
    assert.equal(upload?.id, fileId);
    assert.deepEqual(upload?.bytes, content);
    assert.equal(upload?.length, content.length);
    assert.equal(upload?.completed, true);
    assert.equal(upload?.title, 'Payroll export to 2026-12-01');
    assert.equal(upload?.channel_id, 'C1');
    assert.equal(upload?.thread_ts, parent.ts);
    assert.equal(upload?.initial_comment, 'Here is the export.');
    const [share] = slack.threadOf('C1', parent.ts!);
    assert.deepEqual(share?.files, [fileId]);
    assert.equal(share?.text, 'Here is the export.');
  });

  test('the title defaults to the file name and no thread is used when none is given', async () => {
    await uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' });
    const complete = slack.callsTo('files.completeUploadExternal')[0];
    assert.deepEqual(complete?.args.files, [{ id: slack.uploads[0]?.id, title: 'export.csv' }]);
    assert.equal(complete?.args.thread_ts, undefined);
    assert.equal(slack.messagesIn('C1')[0]?.thread_ts, undefined);
  });

  test('an upload answered with HTTP 500 fails as a retryable upload error and shares nothing', async () => {
    slack.failUploadNext({ status: 500 });
    await assert.rejects(
      uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' }),
      (error) => {
        assert.ok(error instanceof SlackUploadError);
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'upload-failed');
        assert.equal(error.retryable, true);
        assert.equal(error.status, 500);
        return true;
      },
    );
    assert.equal(slack.callsTo('files.completeUploadExternal').length, 0);
    assert.equal(slack.messages.length, 0);

    // The retry asks for a fresh upload URL and succeeds.
    await uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' });
    assert.equal(slack.uploads.filter((u) => u.completed).length, 1);
  });

  test('a channel the bot is not in gives not-in-channel with the invite instruction', async () => {
    slack.setChannelMembers('C9', false);
    await assert.rejects(
      uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C9' }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'not-in-channel');
        assert.equal(error.retryable, false);
        assert.equal(error.slackError, 'not_in_channel');
        assert.equal(
          error.userMessage,
          'I am not a member of this channel. Invite me with /invite @Timesheet Export, then press Retry.',
        );
        return true;
      },
    );
  });

  test('a token without files:write names the missing scope', async () => {
    slack.setScopes(['chat:write', 'commands']);
    await assert.rejects(
      uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'slack-missing-scope');
        assert.equal(error.retryable, false);
        assert.match(error.userMessage, /files:write/);
        return true;
      },
    );
    assert.equal(slack.uploads.length, 0);
  });

  test('a revoked token tells the admin to reinstall, without the token in any message', async () => {
    slack.failNext('files.getUploadURLExternal', { error: 'token_revoked' });
    await assert.rejects(
      uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'slack-auth');
        assert.match(error.userMessage, /reinstall/);
        assert.match(error.userMessage, /SLACK_BOT_TOKEN/);
        assert.ok(!error.message.includes(slack.botToken));
        return true;
      },
    );
  });

  test('Slack being down (HTTP 503 on the API) is retryable', async () => {
    slack.failNext('files.completeUploadExternal', { status: 503 });
    await assert.rejects(
      uploadFileStreaming(client, { path: csv, filename: 'export.csv', channelId: 'C1' }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'slack-unavailable');
        assert.equal(error.retryable, true);
        return true;
      },
    );
  });

  test('a file that is gone from disk is not retried and says why', async () => {
    await assert.rejects(
      uploadFileStreaming(client, {
        path: join(dir, 'missing.csv'),
        filename: 'missing.csv',
        channelId: 'C1',
      }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'file-missing');
        assert.equal(error.retryable, false);
        return true;
      },
    );
    assert.equal(slack.calls.length, 0);
  });

  test('an aborted upload (shutdown) is retryable and calls nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      uploadFileStreaming(client, {
        path: csv,
        filename: 'export.csv',
        channelId: 'C1',
        signal: controller.signal,
      }),
      (error) => {
        assert.ok(error instanceof SlackDeliveryError);
        assert.equal(error.code, 'upload-aborted');
        assert.equal(error.retryable, true);
        return true;
      },
    );
    assert.equal(slack.calls.length, 0);
  });

  test('a 50 MB file arrives whole: every byte, nothing more', async () => {
    const big = join(dir, 'big.csv');
    const hash = createHash('sha256');
    const block = randomBytes(1024 * 1024);
    const out = createWriteStream(big);
    for (let i = 0; i < 50; i++) {
      block.writeUInt32BE(i, 0); // every MiB differs, so a repeated or dropped chunk changes the hash
      hash.update(block);
      if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );

    await uploadFileStreaming(client, { path: big, filename: 'big.csv', channelId: 'C1' });
    const [upload] = slack.uploads;
    assert.equal(upload?.received, 50 * 1024 * 1024);
    assert.equal(upload?.sha256, hash.digest('hex'));
    assert.equal(upload?.completed, true);
  });
});

describe('slackErrorToDelivery', () => {
  const platform = (error: string, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(`An API error occurred: ${error}`), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error, ...extra },
    });

  test('maps Slack platform errors to stable codes', () => {
    const cases: [string, string, boolean][] = [
      ['not_in_channel', 'not-in-channel', false],
      ['channel_not_found', 'channel-not-found', false],
      ['invalid_auth', 'slack-auth', false],
      ['token_revoked', 'slack-auth', false],
      ['account_inactive', 'slack-auth', false],
      ['ratelimited', 'slack-unavailable', true],
      ['internal_error', 'slack-unavailable', true],
      ['file_not_found', 'upload-failed', true],
      ['something_new', 'slack-error', false],
    ];
    for (const [slackError, code, retryable] of cases) {
      const mapped = slackErrorToDelivery(platform(slackError));
      assert.equal(mapped.code, code, slackError);
      assert.equal(mapped.retryable, retryable, slackError);
    }
  });

  test('missing_scope names the scope Slack says is needed', () => {
    assert.match(
      slackErrorToDelivery(platform('missing_scope', { needed: 'chat:write' })).userMessage,
      /chat:write/,
    );
    assert.match(slackErrorToDelivery(platform('missing_scope')).userMessage, /files:write/);
  });

  test('rate limits carry Retry-After; network failures and 5xx are retryable; aborts too', () => {
    const limited = slackErrorToDelivery(
      Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 30 }),
    );
    assert.equal(limited.retryable, true);
    assert.equal(limited.retryAfterSec, 30);
    const network = slackErrorToDelivery(
      Object.assign(new Error('ECONNRESET'), { code: 'slack_webapi_request_error' }),
    );
    assert.equal(network.retryable, true);
    const http502 = slackErrorToDelivery(
      Object.assign(new Error('bad gateway'), { code: 'slack_webapi_http_error', statusCode: 502 }),
    );
    assert.equal(http502.retryable, true);
    const http404 = slackErrorToDelivery(
      Object.assign(new Error('not found'), { code: 'slack_webapi_http_error', statusCode: 404 }),
    );
    assert.equal(http404.retryable, false);
    assert.match(http404.userMessage, /SLACK_API_URL/);
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(slackErrorToDelivery(aborted.signal.reason).code, 'upload-aborted');
  });

  test('an already typed error passes through unchanged; unknown errors are not retried', () => {
    const typed = new SlackUploadError(502);
    assert.equal(slackErrorToDelivery(typed), typed);
    const unknown = slackErrorToDelivery(new TypeError('x is undefined'));
    assert.equal(unknown.code, 'slack-error');
    assert.equal(unknown.retryable, false);
  });
});
