import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { type SlackStandIn, startSlackStandIn } from '../../../fakes/slack/index.js';

const { WebClient } = webApi;

/** Matches a WebClient platform error carrying Slack's `error` string. */
const slackError = (code: string) => (error: unknown) => {
  assert.equal((error as { data?: { error?: unknown } }).data?.error, code);
  return true;
};

interface SlackAnswer {
  ok: boolean;
  error?: string;
  errors?: string[];
  response_metadata?: { messages?: string[] };
}

describe('Slack stand-in', () => {
  let slack: SlackStandIn;
  let client: InstanceType<typeof WebClient>;

  before(async () => {
    slack = await startSlackStandIn();
    client = new WebClient(slack.botToken, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  });
  after(() => slack.close());
  beforeEach(() => slack.reset());

  const postJson = (method: string, body: unknown, token: string | null = slack.botToken) =>
    fetch(`${slack.url}${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  test('auth.test answers with the bot identity and the scopes header reaches the client', async () => {
    const result = await client.auth.test();
    assert.equal(result.user_id, slack.botUserId);
    assert.equal(result.bot_id, slack.botId);
    assert.equal(result.team_id, slack.teamId);
    assert.ok(result.response_metadata?.scopes?.includes('files:write'));
    assert.equal(slack.callsTo('auth.test')[0]?.token, slack.botToken);
  });

  test('form-encoded calls from the WebClient: blocks arrive parsed, messages and threads are kept', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Export *payroll*' } }];
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'Export started', blocks });
    const reply = await client.chat.postMessage({
      channel: 'C1',
      text: 'Found export 42',
      thread_ts: parent.ts!,
    });
    await client.chat.postMessage({ channel: 'C2', text: 'elsewhere' });

    assert.deepEqual(slack.callsTo('chat.postMessage')[0]?.args.blocks, blocks);
    assert.ok(parent.ts! < reply.ts!, 'ts values increase');
    assert.equal(slack.messagesIn('C1').length, 2);
    assert.deepEqual(
      slack.threadOf('C1', parent.ts!).map((m) => m.text),
      ['Found export 42'],
    );

    await client.chat.update({ channel: 'C1', ts: parent.ts!, text: 'Export done' });
    assert.equal(slack.messagesIn('C1')[0]?.text, 'Export done');
    assert.equal(slack.messagesIn('C1')[0]?.updates, 1);

    const link = await client.chat.getPermalink({ channel: 'C1', message_ts: parent.ts! });
    assert.equal(link.permalink, `https://example.slack.com/archives/C1/p${parent.ts!.replace('.', '')}`);

    await client.chat.delete({ channel: 'C1', ts: reply.ts! });
    assert.equal(slack.threadOf('C1', parent.ts!).length, 0);
  });

  test('JSON bodies are accepted with the token in the Authorization header', async () => {
    const response = await postJson('chat.postMessage', {
      channel: 'C1',
      blocks: [{ type: 'divider' }],
      text: 'hi',
    });
    const answer = (await response.json()) as { ok: boolean; ts: string; message: { text: string } };
    assert.equal(answer.ok, true);
    assert.equal(answer.message.text, 'hi');
    assert.deepEqual(slack.callsTo('chat.postMessage')[0]?.args.blocks, [{ type: 'divider' }]);
    assert.ok(response.headers.get('x-oauth-scopes')?.split(',').includes('chat:write'));
  });

  test('a wrong token gets invalid_auth, none gets not_authed, an unknown method unknown_method', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
    await assert.rejects(wrong.chat.postMessage({ channel: 'C1', text: 'x' }), slackError('invalid_auth'));
    const anonymous = (await (await postJson('auth.test', {}, null)).json()) as { error: string };
    assert.equal(anonymous.error, 'not_authed');
    await assert.rejects(client.apiCall('files.upload', {}), slackError('unknown_method'));
    assert.equal(slack.messages.length, 0);
  });

  test('failNext answers with a Slack error the given number of times, then normally', async () => {
    slack.failNext('chat.update', { error: 'ratelimited' }, 2);
    await client.chat.postMessage({ channel: 'C1', text: 'a' });
    const ts = slack.messages[0]!.ts;
    await assert.rejects(client.chat.update({ channel: 'C1', ts, text: 'b' }), slackError('ratelimited'));
    await assert.rejects(client.chat.update({ channel: 'C1', ts, text: 'b' }), slackError('ratelimited'));
    await client.chat.update({ channel: 'C1', ts, text: 'b' });
    assert.equal(slack.messages[0]?.text, 'b');
    assert.equal(slack.callsTo('chat.update').length, 3);
  });

  test('failNext with 429 sends Retry-After, which the WebClient reports', async () => {
    slack.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const raw = await postJson('chat.postMessage', { channel: 'C1', text: 'x' });
    assert.equal(raw.status, 429);
    assert.equal(raw.headers.get('retry-after'), '7');

    slack.failNext('chat.postMessage', { status: 429, retryAfter: 3 });
    const strict = new WebClient(slack.botToken, { slackApiUrl: slack.url, rejectRateLimitedCalls: true });
    await assert.rejects(strict.chat.postMessage({ channel: 'C1', text: 'x' }), {
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 3,
    });
    assert.equal(slack.messages.length, 0);
  });

  test('failNext with 500 is an HTTP error for the WebClient', async () => {
    slack.failNext('views.publish', { status: 500 });
    await assert.rejects(client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } }), {
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
  });

  test('a channel the bot is not in refuses posts and file shares with not_in_channel', async () => {
    slack.setChannelMembers('C9', false);
    await assert.rejects(client.chat.postMessage({ channel: 'C9', text: 'x' }), slackError('not_in_channel'));
    const info = await client.conversations.info({ channel: 'C9' });
    assert.equal(info.channel?.is_member, false);
  });

  test("the SDK's own filesUploadV2 (multipart upload) lands byte for byte, shared in the thread", async () => {
    const content = Buffer.from('name;hours\nAda;151.67\n');
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'parent' });
    await client.filesUploadV2({
      channel_id: 'C1',
      thread_ts: parent.ts!,
      file: content,
      filename: 'export.csv',
      title: 'Payroll',
      initial_comment: 'Here it is',
    });
    const [upload] = slack.uploads;
    assert.ok(upload);
    assert.deepEqual(upload.bytes, content);
    assert.equal(upload.completed, true);
    assert.equal(upload.title, 'Payroll');
    assert.equal(upload.thread_ts, parent.ts);
    assert.deepEqual(slack.threadOf('C1', parent.ts!)[0]?.files, [upload.id]);
  });

  test('an upload whose size differs from the declared length is refused and cannot be completed', async () => {
    const ticket = await client.files.getUploadURLExternal({ filename: 'a.csv', length: 10 });
    const response = await fetch(ticket.upload_url!, { method: 'POST', body: 'short' });
    assert.equal(response.status, 400);
    await assert.rejects(
      client.files.completeUploadExternal({ files: [{ id: ticket.file_id! }], channel_id: 'C1' }),
      slackError('file_not_found'),
    );
  });

  test('without files:write the upload methods answer missing_scope naming the scope', async () => {
    slack.setScopes(['chat:write', 'commands']);
    await assert.rejects(
      client.files.getUploadURLExternal({ filename: 'a.csv', length: 3 }),
      (error: unknown) => {
        const data = (error as { data: Record<string, unknown> }).data;
        assert.equal(data.error, 'missing_scope');
        assert.equal(data.needed, 'files:write');
        assert.equal(data.provided, 'chat:write,commands');
        return true;
      },
    );
  });

  test('user groups, users, views and ephemerals', async () => {
    slack.setUsergroup('S1', ['U1', 'U2']);
    assert.deepEqual((await client.usergroups.users.list({ usergroup: 'S1' })).users, ['U1', 'U2']);
    await assert.rejects(client.usergroups.users.list({ usergroup: 'S404' }), slackError('no_such_subteam'));
    assert.equal((await client.users.info({ user: 'U1' })).user?.id, 'U1');

    const opened = await client.views.open({
      trigger_id: '1.2.3',
      view: { type: 'modal', title: { type: 'plain_text', text: 'Export' }, blocks: [], callback_id: 'run' },
    });
    await client.views.update({
      view_id: opened.view!.id!,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Export' }, blocks: [] },
    });
    await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    assert.equal((slack.views.opened[0] as { callback_id: string }).callback_id, 'run');
    assert.equal(slack.views.updated.length, 1);
    assert.ok(slack.views.published.U1);

    await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    assert.equal(slack.ephemerals[0]?.args.text, 'only you');
  });

  test('users.info gives the locale only with include_locale, and refuses a missing or unknown user', async () => {
    slack.setUserLocale('U1', 'fr-FR');
    assert.equal((await client.users.info({ user: 'U1' })).user?.locale, undefined);
    assert.equal((await client.users.info({ user: 'U1', include_locale: true })).user?.locale, 'fr-FR');
    assert.equal((await client.users.info({ user: 'U2', include_locale: true })).user?.locale, 'en-US');
    await assert.rejects(client.users.info({ user: 'C0PAYROLL' }), slackError('user_not_found'));
    slack.removeUser('U3');
    await assert.rejects(client.users.info({ user: 'U3' }), slackError('user_not_found'));
    await assert.rejects(client.apiCall('users.info', {}), slackError('user_not_found'));
  });

  test('users.info without users:read answers missing_scope naming it', async () => {
    slack.setScopes(['commands', 'chat:write']);
    await assert.rejects(client.users.info({ user: 'U1', include_locale: true }), (error: unknown) => {
      const data = (error as { data: Record<string, unknown> }).data;
      assert.equal(data.error, 'missing_scope');
      assert.equal(data.needed, 'users:read');
      return true;
    });
  });

  test('response_urls served by the stand-in record what the app sends', async () => {
    const url = slack.responseUrl('cmd1');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text: 'Bad date' }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(slack.responses, [{ url, body: { response_type: 'ephemeral', text: 'Bad date' } }]);
  });

  test('a message breaking a Block Kit limit is refused as Slack does (invalid_blocks, with the path) and recorded', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    for (const method of ['chat.postMessage', 'chat.postEphemeral'] as const) {
      const answer = (await (
        await postJson(method, { channel: 'C1', user: 'U1', text: 'fallback', blocks })
      ).json()) as SlackAnswer;
      assert.equal(answer.ok, false);
      assert.equal(answer.error, 'invalid_blocks');
      assert.deepEqual(answer.errors, ['must be at most 3000 characters [json-pointer:/blocks/0/text/text]']);
    }
    const parent = await client.chat.postMessage({ channel: 'C1', text: 'ok' });
    await assert.rejects(
      client.chat.update({ channel: 'C1', ts: parent.ts!, text: 'x', blocks }),
      slackError('invalid_blocks'),
    );
    assert.equal(slack.messagesIn('C1').length, 1, 'nothing refused was posted');
    assert.equal(slack.messagesIn('C1')[0]?.text, 'ok', 'nor updated');
    assert.deepEqual(
      slack.takeViolations().map((v) => [v.method, v.path, v.limit, v.value]),
      [
        ['chat.postMessage', '/blocks/0/text/text', 3000, 3001],
        ['chat.postEphemeral', '/blocks/0/text/text', 3000, 3001],
        ['chat.update', '/blocks/0/text/text', 3000, 3001],
      ],
    );
  });

  test('a message text over 40 000 characters is refused with msg_too_long', async () => {
    await assert.rejects(
      client.chat.postMessage({ channel: 'C1', text: 'x'.repeat(40_001) }),
      slackError('msg_too_long'),
    );
    assert.deepEqual(
      slack.takeViolations().map((v) => v.path),
      ['/text'],
    );
  });

  test('a view breaking a limit is refused with invalid_arguments naming the path, and not opened', async () => {
    const view = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    };
    const answer = (await (await postJson('views.open', { trigger_id: 't1', view })).json()) as SlackAnswer;
    assert.equal(answer.error, 'invalid_arguments');
    assert.deepEqual(answer.response_metadata?.messages, [
      '[ERROR] must be at most 24 characters [json-pointer:/view/title/text]',
    ]);
    await assert.rejects(
      client.views.publish({
        user_id: 'U1',
        view: { type: 'home', blocks: Array(101).fill(view.blocks[0]) },
      }),
      slackError('invalid_arguments'),
    );
    assert.equal(slack.views.opened.length, 0);
    assert.deepEqual(slack.views.published, {});
    assert.deepEqual(
      slack.takeViolations().map((v) => [v.method, v.path, v.limit, v.value]),
      [
        ['views.open', '/view/title/text', 24, 28],
        ['views.publish', '/view/blocks', 100, 101],
      ],
    );
  });

  test('a response_url post breaking a limit gets HTTP 400 invalid_blocks, as a webhook does', async () => {
    const response = await fetch(slack.responseUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 't', blocks: Array(51).fill({ type: 'divider' }) }),
    });
    assert.equal(response.status, 400);
    assert.equal(await response.text(), 'invalid_blocks');
    assert.deepEqual(
      slack.takeViolations().map((v) => [v.method, v.path, v.value]),
      [['response_url', '/blocks', 51]],
    );
  });

  test('violations nobody took make reset fail with the method, path, limit and value', async () => {
    await postJson('chat.postMessage', {
      channel: 'C1',
      blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
    });
    assert.throws(
      () => slack.reset(),
      /chat\.postMessage \/blocks\/0\/text\/text: must be at most 150 characters \(limit 150, got 151\)/,
    );
    assert.deepEqual(slack.violations, [], 'reported once');
  });

  test('violations nobody took make close fail too', async () => {
    const other = await startSlackStandIn();
    await fetch(`${other.url}views.open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other.botToken}` },
      body: JSON.stringify({
        trigger_id: 't',
        view: { type: 'modal', title: { type: 'mrkdwn', text: 'T' }, blocks: [] },
      }),
    });
    await assert.rejects(other.close(), /views\.open \/view\/title\/type: must be plain_text/);
  });

  test('reset forgets recorded state and configuration but keeps held references live', async () => {
    const calls = slack.calls;
    slack.setChannelMembers('C1', false);
    await client.auth.test();
    slack.reset();
    assert.equal(calls.length, 0);
    await client.chat.postMessage({ channel: 'C1', text: 'member again' });
    assert.equal(calls.length, 1);
  });
});
