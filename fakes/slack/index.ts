/**
 * A stand-in for the Slack Web API, for tests and the offline demo: a real HTTP server on 127.0.0.1
 * that answers the methods this app uses the way Slack does (HTTP 200 with `{ok:false, error}` for
 * platform errors, 429 with `Retry-After`, the `x-oauth-scopes` header), keeps the channel state
 * that results (messages, threads, uploaded files, views) and records every call.
 *
 * Point a WebClient at it with `slackApiUrl: standIn.url` (or SLACK_API_URL), which makes
 * @slack/web-api POST to `<url><method>`. Socket Mode (`apps.connections.open` with the app-level
 * token, and the WebSocket it hands out) is in socket-mode.ts, on the same server: `standIn.socketMode`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BlockKitViolation, describeViolation, messageRefusal, refusalFor } from './block-kit-rules.js';
import { parseApiArgs, parseMultipart, readBody } from './request-body.js';
import { attachSocketMode, type SocketModeStandIn } from './socket-mode.js';

/** A payload Slack would refuse (see block-kit-rules.ts): the call, and the broken rule. */
export interface RecordedViolation extends BlockKitViolation {
  /** The Web API method, or `response_url`. */
  method: string;
}

export interface SlackCall {
  method: string;
  /** Arguments as Slack received them: form values are strings; JSON fields (`blocks`, `files`, `view`) parsed. */
  args: Record<string, unknown>;
  /** The token the call carried (Authorization header or `token` field), or null. */
  token: string | null;
  at: number;
}

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  /** The bot user for messages the app posted. */
  user: string;
  /** How many times chat.update changed this message. */
  updates: number;
  /** Ids of the files a files.completeUploadExternal shared with this message. */
  files?: string[];
}

export interface UploadedFile {
  id: string;
  filename: string;
  /** The length declared to files.getUploadURLExternal. */
  length: number;
  /** What the upload POST delivered (the file part of a multipart body). Empty with keepUploadBytes: false. */
  bytes: Buffer;
  /** How many bytes the upload POST delivered, counted even when the bytes are not kept. */
  received: number;
  /** sha256 (hex) of the delivered bytes. */
  sha256: string | null;
  uploaded: boolean;
  title?: string;
  channel_id?: string;
  thread_ts?: string;
  initial_comment?: string;
  completed: boolean;
}

/**
 * A Slack error (HTTP 200, `ok:false`; `needed` for missing_scope, `messages` for response_metadata),
 * or an HTTP answer (429 with `retryAfter` seconds, 500...).
 */
export type FailAnswer =
  | { error: string; needed?: string; messages?: string[] }
  | { status: number; retryAfter?: number; body?: string };

export interface SlackStandIn {
  /** Base for the Web API, ending with `/api/`: pass as SLACK_API_URL / slackApiUrl. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The accepted token; any other gets `invalid_auth`, none gets `not_authed`. */
  botToken: string;
  botUserId: string;
  botId: string;
  teamId: string;
  /** Every Web API call, in order (failed ones included). */
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** Messages as they stand after posts, updates and deletes. */
  messages: SlackMessage[];
  /** Every message in the channel (parents and thread replies), in post order. */
  messagesIn(channel: string): SlackMessage[];
  /** The replies in the thread of `ts` (the parent itself excluded), in post order. */
  threadOf(channel: string, ts: string): SlackMessage[];
  uploads: UploadedFile[];
  /** views.open and views.push land in `opened`; views.publish by user id; views.update in `updated`. */
  views: { opened: unknown[]; published: Record<string, unknown>; updated: unknown[] };
  /** chat.postEphemeral calls that succeeded. */
  ephemerals: SlackCall[];
  /** What the app POSTed to response_urls served by the stand-in (parsed JSON, or the text). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response fields (`body.text`, `body.blocks`)
  responses: { url: string; body: any }[];
  responseUrl(id?: string): string;
  /** The bot is a member of every channel unless told otherwise. */
  setChannelMembers(channel: string, isMember: boolean): void;
  setUsergroup(id: string, users: string[]): void;
  /** The Slack language a user chose (users.info `locale` with include_locale): `en-US` unless set. */
  setUserLocale(user: string, locale: string): void;
  /** users.info answers `user_not_found` for this id from now on. */
  removeUser(user: string): void;
  /** The scopes the token has: sent in `x-oauth-scopes`; methods needing a missing one answer `missing_scope`. */
  setScopes(scopes: string[]): void;
  /** The next `times` calls to `method` get a Slack error (HTTP 200, ok:false) or an HTTP status. */
  failNext(method: string, answer: FailAnswer, times?: number): void;
  /** The next `times` upload POSTs get this HTTP status (the body is read first). */
  failUploadNext(answer: { status: number }, times?: number): void;
  /** Socket Mode: `apps.connections.open` with the app-level token, and its WebSocket (see socket-mode.ts). */
  socketMode: SocketModeStandIn;
  /**
   * Payloads refused for breaking Slack's Block Kit or message limits, in order. A test that breaks a
   * rule on purpose takes them (`takeViolations`); any left make `reset()` and `close()` fail with the
   * path, the limit and the value, so a builder that outgrows a limit fails the test that exercised it.
   */
  violations: RecordedViolation[];
  /** The violations recorded so far, which the test then owns (they no longer fail reset/close). */
  takeViolations(): RecordedViolation[];
  /** Back to the state just after start: recorded state, queued failures, memberships, groups, scopes. */
  reset(): void;
  close(): Promise<void>;
}

export interface SlackStandInOptions {
  botToken?: string;
  /** The app-level token `apps.connections.open` accepts (Socket Mode). */
  appToken?: string;
  port?: number;
  /** false: count and hash uploads without keeping their bytes (for very large files). Default true. */
  keepUploadBytes?: boolean;
}

export const DEFAULT_SCOPES = [
  'commands',
  'chat:write',
  'files:write',
  'channels:read',
  'groups:read',
  'users:read',
  'usergroups:read',
];

// Scopes a bot token needs per method; a call needs any one of them.
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.delete': ['chat:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
};

/** What users.info says of a user whose locale no test set: Slack's own default language. */
const DEFAULT_LOCALE = 'en-US';

type Answer = Record<string, unknown>;
type Handler = (args: Record<string, unknown>) => Answer;

class PlatformError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Answer = {},
  ) {
    super(error);
  }
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const botToken = options.botToken ?? 'xoxb-test-token';
  const keepUploadBytes = options.keepUploadBytes ?? true;
  const botUserId = 'U0BOT';
  const botId = 'B0BOT';
  const teamId = 'T0TEST';

  const calls: SlackCall[] = [];
  const messages: SlackMessage[] = [];
  const uploads: UploadedFile[] = [];
  const views = {
    opened: [] as unknown[],
    published: {} as Record<string, unknown>,
    updated: [] as unknown[],
  };
  const ephemerals: SlackCall[] = [];
  const responses: SlackStandIn['responses'] = [];
  const members = new Map<string, boolean>();
  const usergroups = new Map<string, string[]>();
  const locales = new Map<string, string>();
  const missingUsers = new Set<string>();
  let scopes = [...DEFAULT_SCOPES];
  const failures = new Map<string, { answer: FailAnswer; times: number }[]>();
  const uploadFailures: { status: number; times: number }[] = [];
  const violations: RecordedViolation[] = [];
  const unclaimedViolations = (when: string) => {
    if (violations.length === 0) return undefined;
    const list = violations.splice(0).map((v) => `  ${v.method} ${describeViolation(v)}`);
    return new Error(
      `The Slack stand-in refused ${list.length} payload(s) that Slack would refuse (found at ${when}):\n${list.join('\n')}`,
    );
  };

  // Message ts values are unique and increasing, shaped like Slack's ("1764000000.000100").
  let tsCounter = 0;
  const nextTs = () => {
    tsCounter += 100;
    return `${1_764_000_000 + Math.floor(tsCounter / 1_000_000)}.${String(tsCounter % 1_000_000).padStart(6, '0')}`;
  };
  let idCounter = 0;
  const nextId = (prefix: string) => `${prefix}0${(++idCounter).toString(36).toUpperCase().padStart(8, '0')}`;

  let origin = '';
  const isMember = (channel: string) => members.get(channel) ?? true;
  const findMessage = (channel: string, ts: string) =>
    messages.find((m) => m.channel === channel && m.ts === ts);
  const str = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
  const permalink = (channel: string, ts: string, threadTs?: string) =>
    `https://example.slack.com/archives/${channel}/p${ts.replace('.', '')}` +
    (threadTs && threadTs !== ts ? `?thread_ts=${threadTs}&cid=${channel}` : '');
  const messageJson = (m: SlackMessage): Answer => ({
    type: 'message',
    user: m.user,
    bot_id: botId,
    team: teamId,
    ts: m.ts,
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  });
  const requireChannel = (args: Record<string, unknown>): string => {
    const channel = str(args.channel);
    if (!channel) throw new PlatformError('channel_not_found');
    return channel;
  };
  const requireView = (args: Record<string, unknown>): Record<string, unknown> => {
    const view = args.view;
    if (!view || typeof view !== 'object') throw new PlatformError('invalid_arguments');
    return view as Record<string, unknown>;
  };
  const viewJson = (view: Record<string, unknown>, id: string): Answer => ({
    id,
    team_id: teamId,
    state: { values: {} },
    hash: `${Date.now()}.${randomBytes(4).toString('hex')}`,
    private_metadata: '',
    callback_id: '',
    root_view_id: id,
    app_id: 'A0TEST',
    bot_id: botId,
    ...view,
  });

  const handlers: Record<string, Handler> = {
    'auth.test': () => ({
      url: 'https://example.slack.com/',
      team: 'Example',
      user: 'timesheet-export',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = requireChannel(args);
      if (!isMember(channel)) throw new PlatformError('not_in_channel');
      const text = str(args.text);
      const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
      if (text === undefined && !blocks) throw new PlatformError('no_text');
      const threadTs = str(args.thread_ts);
      const message: SlackMessage = {
        channel,
        ts: nextTs(),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(blocks ? { blocks } : {}),
        user: botUserId,
        updates: 0,
      };
      messages.push(message);
      return { channel, ts: message.ts, message: messageJson(message) };
    },

    'chat.update': (args) => {
      const channel = requireChannel(args);
      const ts = str(args.ts);
      const message = ts ? findMessage(channel, ts) : undefined;
      if (!message) throw new PlatformError('message_not_found');
      const text = str(args.text);
      if (text !== undefined) message.text = text;
      if (Array.isArray(args.blocks)) message.blocks = args.blocks;
      message.updates += 1;
      return { channel, ts: message.ts, text: message.text ?? '', message: messageJson(message) };
    },

    'chat.postEphemeral': (args) => {
      requireChannel(args);
      if (!str(args.user)) throw new PlatformError('user_not_in_channel');
      if (str(args.text) === undefined && !Array.isArray(args.blocks)) throw new PlatformError('no_text');
      return { message_ts: nextTs() };
    },

    'chat.delete': (args) => {
      const channel = requireChannel(args);
      const ts = str(args.ts);
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index === -1) throw new PlatformError('message_not_found');
      messages.splice(index, 1);
      return { channel, ts };
    },

    // Lenient on purpose: any ts gets a link, so tests need not post the message first.
    'chat.getPermalink': (args) => {
      const channel = requireChannel(args);
      const ts = str(args.message_ts);
      if (!ts) throw new PlatformError('message_not_found');
      return { channel, permalink: permalink(channel, ts, findMessage(channel, ts)?.thread_ts) };
    },

    'conversations.info': (args) => {
      const channel = requireChannel(args);
      return {
        channel: {
          id: channel,
          name: `channel-${channel.toLowerCase()}`,
          is_channel: channel.startsWith('C'),
          is_group: false,
          is_im: channel.startsWith('D'),
          is_private: channel.startsWith('G'),
          is_archived: false,
          is_member: isMember(channel),
          created: 1_700_000_000,
        },
      };
    },

    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      const length = Number(args.length);
      if (!filename || !Number.isInteger(length) || length < 1) throw new PlatformError('invalid_arguments');
      const id = nextId('F');
      uploads.push({
        id,
        filename,
        length,
        bytes: Buffer.alloc(0),
        received: 0,
        sha256: null,
        uploaded: false,
        completed: false,
      });
      return { upload_url: `${origin}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      const list = args.files;
      if (!Array.isArray(list) || list.length === 0) throw new PlatformError('invalid_arguments');
      const found: UploadedFile[] = [];
      for (const item of list) {
        const id = item && typeof item === 'object' ? str((item as Record<string, unknown>).id) : undefined;
        const upload = uploads.find((u) => u.id === id);
        if (!upload?.uploaded) throw new PlatformError('file_not_found');
        found.push(upload);
      }
      const channel = str(args.channel_id) ?? str(args.channels)?.split(',')[0];
      if (channel && !isMember(channel)) throw new PlatformError('not_in_channel');
      const threadTs = str(args.thread_ts);
      const comment = str(args.initial_comment);
      found.forEach((upload, i) => {
        const title = str((list[i] as Record<string, unknown>).title);
        upload.completed = true;
        upload.title = title ?? upload.filename;
        if (channel) upload.channel_id = channel;
        if (threadTs) upload.thread_ts = threadTs;
        if (comment !== undefined) upload.initial_comment = comment;
      });
      // Slack shares the files with a message from the bot: in the thread when thread_ts is given.
      if (channel) {
        messages.push({
          channel,
          ts: nextTs(),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          text: comment ?? '',
          user: botUserId,
          updates: 0,
          files: found.map((u) => u.id),
        });
      }
      const created = Math.floor(Date.now() / 1000);
      return {
        files: found.map((u) => ({
          id: u.id,
          created,
          timestamp: created,
          name: u.filename,
          title: u.title,
          mimetype: 'application/octet-stream',
          filetype: u.filename.includes('.') ? u.filename.split('.').pop() : 'binary',
          user: botUserId,
          size: u.received,
          is_external: false,
          permalink: `https://example.slack.com/files/${botUserId}/${u.id}/${encodeURIComponent(u.filename)}`,
          // As in Slack, the share is processed asynchronously: the answer often lists no shares yet.
          channels: [],
          shares: {},
        })),
      };
    },

    'views.open': (args) => {
      if (!str(args.trigger_id)) throw new PlatformError('invalid_arguments');
      const view = viewJson(requireView(args), nextId('V'));
      views.opened.push(view);
      return { view };
    },

    'views.push': (args) => {
      if (!str(args.trigger_id)) throw new PlatformError('invalid_arguments');
      const view = viewJson(requireView(args), nextId('V'));
      views.opened.push(view);
      return { view };
    },

    'views.update': (args) => {
      const id = str(args.view_id) ?? str(args.external_id);
      if (!id) throw new PlatformError('invalid_arguments');
      const view = viewJson(requireView(args), id);
      views.updated.push(view);
      return { view };
    },

    'views.publish': (args) => {
      const user = str(args.user_id);
      if (!user) throw new PlatformError('invalid_arguments');
      const view = viewJson(requireView(args), nextId('V'));
      views.published[user] = view;
      return { view };
    },

    'usergroups.users.list': (args) => {
      const users = usergroups.get(str(args.usergroup) ?? '');
      if (!users) throw new PlatformError('no_such_subteam');
      return { users: [...users] };
    },

    // users.info as documented (api.slack.com/methods/users.info, mirrored at
    // github.com/aki017/slack-api-docs methods/users.info.md): `user` is required (a missing or unknown
    // one is `user_not_found`, "Value passed for `user` was invalid"), the bot scope is users:read
    // (METHOD_SCOPES: missing_scope otherwise), and `locale` is in the user object only when
    // `include_locale` is true ("Defaults to false"). Every U…/W… id is a member of the stand-in's
    // workspace unless a test says otherwise.
    'users.info': (args) => {
      const id = str(args.user);
      const known = id !== undefined && /^[UW][A-Z0-9]+$/.test(id) && !missingUsers.has(id);
      if (!id || !known) throw new PlatformError('user_not_found');
      const includeLocale =
        args.include_locale === true || args.include_locale === 'true' || args.include_locale === '1';
      return {
        user: {
          id,
          team_id: teamId,
          name: id.toLowerCase(),
          real_name: `User ${id}`,
          deleted: false,
          is_bot: id === botUserId,
          tz: 'Europe/Paris',
          ...(includeLocale ? { locale: locales.get(id) ?? DEFAULT_LOCALE } : {}),
          profile: { real_name: `User ${id}`, display_name: id.toLowerCase() },
        },
      };
    },
  };

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: Answer,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const takeFailure = <T extends { times: number }>(queue: T[] | undefined): T | undefined => {
    const head = queue?.[0];
    if (!head) return undefined;
    head.times -= 1;
    if (head.times <= 0) queue.shift();
    return head;
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: URLSearchParams,
  ) => {
    const body = await readBody(req);
    let parsed: ReturnType<typeof parseApiArgs>;
    try {
      parsed = parseApiArgs(req.headers['content-type'], body, query);
    } catch {
      sendJson(res, 200, { ok: false, error: 'invalid_json' });
      return;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const token = bearer ?? parsed.bodyToken;
    const call: SlackCall = { method, args: parsed.args, token, at: Date.now() };
    calls.push(call);

    const needed = METHOD_SCOPES[method];
    const headers: Record<string, string> = { 'x-oauth-scopes': scopes.join(',') };
    if (needed) headers['x-accepted-oauth-scopes'] = needed.join(',');

    const failure = takeFailure(failures.get(method));
    if (failure) {
      const answer = failure.answer;
      if ('error' in answer) {
        const body: Answer = { ok: false, error: answer.error };
        if (answer.needed) Object.assign(body, { needed: answer.needed, provided: scopes.join(',') });
        if (answer.messages) body.response_metadata = { messages: answer.messages };
        sendJson(res, 200, body, headers);
      } else {
        const retry = answer.retryAfter !== undefined ? { 'retry-after': String(answer.retryAfter) } : {};
        const text =
          answer.body ??
          (answer.status === 429
            ? JSON.stringify({ ok: false, error: 'ratelimited' })
            : `HTTP ${answer.status}`);
        const type = text.startsWith('{') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8';
        res.writeHead(answer.status, { 'content-type': type, ...headers, ...retry });
        res.end(text);
      }
      return;
    }

    if (method === 'apps.connections.open') {
      sendJson(
        res,
        200,
        socketMode.connectionsOpen({ httpMethod: req.method, bearer, bodyToken: parsed.bodyToken }),
      );
      return;
    }
    const handler = handlers[method];
    if (!handler) {
      sendJson(res, 200, { ok: false, error: 'unknown_method', req_method: method }, headers);
      return;
    }
    if (!token) {
      sendJson(res, 200, { ok: false, error: 'not_authed' }, headers);
      return;
    }
    if (token !== botToken) {
      sendJson(res, 200, { ok: false, error: 'invalid_auth' }, headers);
      return;
    }
    if (needed && !needed.some((scope) => scopes.includes(scope))) {
      sendJson(
        res,
        200,
        { ok: false, error: 'missing_scope', needed: needed.join(','), provided: scopes.join(',') },
        headers,
      );
      return;
    }
    const refusal = refusalFor(method, parsed.args);
    if (refusal) {
      violations.push(...refusal.violations.map((v) => ({ method, ...v })));
      sendJson(res, 200, { ok: false, error: refusal.error, ...refusal.extra }, headers);
      return;
    }
    try {
      const answer = handler(parsed.args);
      if (method === 'chat.postEphemeral') ephemerals.push(call);
      sendJson(res, 200, { ok: true, ...answer }, headers);
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      sendJson(res, 200, { ok: false, error: error.error, ...error.extra }, headers);
    }
  };

  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string) => {
    const upload = uploads.find((u) => u.id === fileId);
    const failure = takeFailure(uploadFailures);
    const isMultipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
    let bytes: Buffer = Buffer.alloc(0);
    let received = 0;
    let sha256: string;
    if (keepUploadBytes || isMultipart) {
      const body = await readBody(req);
      if (isMultipart) {
        const parts = parseMultipart(req.headers['content-type'] ?? '', body);
        // fetch's FormData (the SDK) names the part `body`; curl users name it `file` or `filename`.
        bytes = (parts.find((p) => p.filename !== null) ?? parts[0])?.data ?? Buffer.alloc(0);
      } else {
        bytes = body;
      }
      received = bytes.length;
      sha256 = createHash('sha256').update(bytes).digest('hex');
      if (!keepUploadBytes) bytes = Buffer.alloc(0);
    } else {
      const hash = createHash('sha256');
      for await (const chunk of req) {
        received += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
      sha256 = hash.digest('hex');
    }
    if (failure) {
      res.writeHead(failure.status, { 'content-type': 'text/plain' });
      res.end(`upload failed (${failure.status})`);
      return;
    }
    if (!upload) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('unknown upload');
      return;
    }
    upload.bytes = bytes;
    upload.received = received;
    upload.sha256 = sha256;
    if (received !== upload.length) {
      // The declared length is what Slack reserves; a body of another size is a client bug worth failing loudly.
      upload.uploaded = false;
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`length mismatch: declared ${upload.length}, received ${received}`);
      return;
    }
    upload.uploaded = true;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${received}`);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse) => {
    const text = (await readBody(req)).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text: the app sent something that is not JSON, which a test may want to see
    }
    responses.push({ url: `${origin}${req.url ?? ''}`, body });
    // A response_url is an incoming webhook: a refused payload gets HTTP 400 and the error as plain
    // text (github.com/slackapi/java-slack-sdk/issues/1017: "a 400 `invalid_blocks`" from a webhook).
    const refusal =
      body && typeof body === 'object' ? messageRefusal(body as Record<string, unknown>) : undefined;
    if (refusal) {
      violations.push(...refusal.violations.map((v) => ({ method: 'response_url', ...v })));
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(refusal.error);
      return;
    }
    sendJson(res, 200, { ok: true });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = async () => {
      const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
      if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) {
        return handleApi(req, res, api[1], url.searchParams);
      }
      const upload = /^\/upload\/([A-Za-z0-9]+)$/.exec(url.pathname);
      if (upload?.[1] && req.method === 'POST') return handleUpload(req, res, upload[1]);
      if (url.pathname.startsWith('/response/') && req.method === 'POST') return handleResponseUrl(req, res);
      req.resume();
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const socketMode = attachSocketMode(server, {
    appToken: options.appToken ?? 'xapp-1-A0TEST-stand-in-app-token',
    appId: 'A0TEST',
    origin: () => origin,
  });

  return {
    url: `${origin}/api/`,
    origin,
    botToken,
    botUserId,
    botId,
    teamId,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    messages,
    messagesIn: (channel) => messages.filter((m) => m.channel === channel),
    threadOf: (channel, ts) =>
      messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts),
    uploads,
    views,
    socketMode,
    ephemerals,
    responses,
    responseUrl: (id) => `${origin}/response/${id ?? randomBytes(6).toString('hex')}`,
    setChannelMembers: (channel, member) => {
      members.set(channel, member);
    },
    setUsergroup: (id, users) => {
      usergroups.set(id, [...users]);
    },
    setUserLocale: (user, locale) => {
      locales.set(user, locale);
    },
    removeUser: (user) => {
      missingUsers.add(user);
    },
    setScopes: (list) => {
      scopes = [...list];
    },
    failNext: (method, answer, times = 1) => {
      const queue = failures.get(method) ?? [];
      queue.push({ answer, times });
      failures.set(method, queue);
    },
    failUploadNext: (answer, times = 1) => {
      uploadFailures.push({ status: answer.status, times });
    },
    violations,
    takeViolations: () => violations.splice(0),
    reset: () => {
      const unclaimed = unclaimedViolations('reset');
      // Emptied in place so that references a test already holds stay live.
      calls.length = 0;
      messages.length = 0;
      uploads.length = 0;
      views.opened.length = 0;
      views.updated.length = 0;
      for (const key of Object.keys(views.published)) delete views.published[key];
      ephemerals.length = 0;
      responses.length = 0;
      members.clear();
      usergroups.clear();
      locales.clear();
      missingUsers.clear();
      scopes = [...DEFAULT_SCOPES];
      failures.clear();
      uploadFailures.length = 0;
      socketMode.reset();
      if (unclaimed) throw unclaimed;
    },
    close: async () => {
      await socketMode.close();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      const unclaimed = unclaimedViolations('close');
      if (unclaimed) throw unclaimed;
    },
  };
}
