/**
 * Uploads a file from disk to a Slack channel with memory flat in the file's size.
 *
 * `files.upload` is gone (sunset 2025-11-12); the external flow is files.getUploadURLExternal
 * `{filename, length}` → POST the bytes to `upload_url` → files.completeUploadExternal. The SDK's
 * `filesUploadV2` does the same but reads the whole file into memory first, so the middle step is
 * done here with fetch and a stream from disk, with an exact Content-Length (Slack compares it with
 * the declared length; the upload URL accepts raw bytes as well as multipart).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { webApi } from '@slack/bolt';
import { AppError, type FailureFacts } from '../errors.js';
import { classifySlackErrorCode } from './slack-errors.js';

type WebClient = webApi.WebClient;

/** The codes of a Slack delivery failure (the channel's catalog words each of them). */
export type SlackDeliveryCode =
  | 'upload-failed'
  | 'upload-aborted'
  | 'slack-rate-limited'
  | 'slack-unavailable'
  | 'slack-http-error'
  | 'slack-unreachable'
  | 'file-missing'
  | 'slack-error'
  | 'not-in-channel'
  | 'channel-not-found'
  | 'channel-archived'
  | 'slack-auth'
  | 'slack-missing-scope'
  | 'empty-file'
  | 'no-channel'
  | 'channel-not-allowed';

/** A Slack delivery failure: `retryable` says whether trying again later can succeed without a person. */
export class SlackDeliveryError extends AppError {
  declare readonly code: SlackDeliveryCode;
  readonly retryable: boolean;
  /** Slack's own error string (`not_in_channel`, `missing_scope`...), when Slack gave one. */
  readonly slackError: string | null;
  /** Seconds Slack asked us to wait (rate limits), when it said. */
  readonly retryAfterSec: number | null;

  constructor(
    code: SlackDeliveryCode,
    userMessage: string,
    options: {
      retryable: boolean;
      slackError?: string | null;
      retryAfterSec?: number | null;
      cause?: unknown;
      detail?: string;
      facts?: FailureFacts;
    },
  ) {
    super(code, userMessage, { cause: options.cause, detail: options.detail, facts: options.facts });
    this.retryable = options.retryable;
    this.slackError = options.slackError ?? null;
    this.retryAfterSec = options.retryAfterSec ?? null;
  }
}

/** The POST of the bytes to `upload_url` failed. A fresh upload URL is fetched on every attempt, so a retry can succeed. */
export class SlackUploadError extends SlackDeliveryError {
  readonly status: number | null;

  constructor(status: number | null, options: { cause?: unknown; detail?: string } = {}) {
    super(
      'upload-failed',
      status === null
        ? 'The file could not be sent to Slack (the connection failed). The export itself is fine; only the upload needs another try.'
        : `Slack did not accept the file (HTTP ${status}). The export itself is fine; only the upload needs another try.`,
      {
        retryable: true,
        cause: options.cause,
        detail: options.detail,
        facts: status === null ? {} : { status },
      },
    );
    this.status = status;
  }
}

export interface UploadArgs {
  path: string;
  filename: string;
  title?: string;
  channelId: string;
  /** Parent message ts: the file is shared as a reply in that thread. */
  threadTs?: string;
  initialComment?: string;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
}

export async function uploadFileStreaming(client: WebClient, args: UploadArgs): Promise<{ fileId: string }> {
  const fetchImpl = args.fetchImpl ?? fetch;
  try {
    args.signal?.throwIfAborted();
    const { size } = await stat(args.path);
    if (size === 0) {
      throw new SlackDeliveryError(
        'empty-file',
        `The export file ${args.filename} is empty, so there is nothing to upload.`,
        { retryable: false, facts: { fileName: args.filename } },
      );
    }
    const ticket = await client.files.getUploadURLExternal({ filename: args.filename, length: size });
    if (!ticket.upload_url || !ticket.file_id) {
      throw new SlackUploadError(null, {
        detail: 'files.getUploadURLExternal gave no upload_url or file_id',
      });
    }
    await postBytes(fetchImpl, ticket.upload_url, args.path, size, args.signal);
    args.signal?.throwIfAborted();
    await client.files.completeUploadExternal({
      files: [{ id: ticket.file_id, title: args.title ?? args.filename }],
      channel_id: args.channelId,
      ...(args.threadTs ? { thread_ts: args.threadTs } : {}),
      ...(args.initialComment !== undefined ? { initial_comment: args.initialComment } : {}),
    });
    return { fileId: ticket.file_id };
  } catch (error) {
    throw slackErrorToDelivery(error);
  }
}

async function postBytes(
  fetchImpl: typeof fetch,
  uploadUrl: string,
  path: string,
  size: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  // fetch pulls from the file as the socket drains, so memory stays flat whatever the file size.
  // `duplex: 'half'` is required for a stream body; the explicit Content-Length avoids chunked encoding.
  const file = createReadStream(path, { end: size - 1 });
  const body = Readable.toWeb(file) as ReadableStream<Uint8Array>;
  let response: Response;
  try {
    response = await fetchImpl(uploadUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      duplex: 'half',
      // Not cosmetic: with the default 'follow', fetch clones the request for a possible redirect,
      // and the clone tees the body stream, which then keeps every chunk sent. Measured on Node 20:
      // RSS +104 MB for a 100 MB file and +204 MB for 200 MB with 'follow'; about +50 MB
      // (garbage not yet collected) for 100, 200 or 400 MB with 'error'.
      redirect: 'error',
      signal,
    } as RequestInit);
  } catch (error) {
    if (isAbort(error)) throw error;
    // The upload URL is signed: never put it in a message.
    throw new SlackUploadError(null, {
      cause: error,
      detail: error instanceof Error ? error.message : undefined,
    });
  } finally {
    // Releases the file descriptor when fetch gave up before reading the body to its end.
    file.destroy();
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    throw new SlackUploadError(response.status, { detail: text.slice(0, 200) || undefined });
  }
}

// Not token problems (slack-errors.ts), but the same fix: the workspace withdrew the app's access.
const ACCESS_WITHDRAWN = new Set(['no_permission', 'ekm_access_denied']);

const REINSTALL = 'Ask your Slack admin to reinstall the Timesheet Export app and check SLACK_BOT_TOKEN.';
const INVITE = 'Invite me with /invite @Timesheet Export, then press Retry.';

/**
 * Turns whatever a WebClient call or the upload threw into a SlackDeliveryError with a stable code.
 * Pure: it only inspects the error. @slack/web-api errors are recognised by their `code`
 * (`slack_webapi_platform_error` carries Slack's `data.error`).
 */
export function slackErrorToDelivery(error: unknown): SlackDeliveryError {
  if (error instanceof SlackDeliveryError) return error;
  if (isAbort(error)) {
    return new SlackDeliveryError(
      'upload-aborted',
      'The upload to Slack was interrupted; it will be tried again.',
      {
        retryable: true,
        cause: error,
      },
    );
  }
  const e = (error ?? {}) as {
    code?: unknown;
    data?: { error?: unknown; needed?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
  };
  switch (e.code) {
    case 'slack_webapi_platform_error': {
      const slackError = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      const needed = typeof e.data?.needed === 'string' && e.data.needed ? e.data.needed : 'files:write';
      return platformError(slackError, needed, error);
    }
    case 'slack_webapi_rate_limited_error': {
      const retryAfterSec = typeof e.retryAfter === 'number' ? e.retryAfter : null;
      return new SlackDeliveryError(
        'slack-rate-limited',
        'Slack asked us to slow down. The file will be sent again shortly.',
        { retryable: true, slackError: 'ratelimited', retryAfterSec, cause: error },
      );
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const transient = status === 408 || status === 429 || status >= 500;
      return new SlackDeliveryError(
        transient ? 'slack-unavailable' : 'slack-http-error',
        transient
          ? `Slack is not answering properly right now (HTTP ${status}). The file will be sent again shortly.`
          : `Slack answered with HTTP ${status}. Ask your Slack admin to check SLACK_API_URL.`,
        { retryable: transient, cause: error, detail: `HTTP ${status}`, facts: { status } },
      );
    }
    case 'slack_webapi_request_error':
      return new SlackDeliveryError(
        'slack-unreachable',
        'Slack could not be reached. The file will be sent again shortly.',
        { retryable: true, cause: error },
      );
    case 'ENOENT':
      return new SlackDeliveryError(
        'file-missing',
        'The export file is no longer on the server (it may have passed its retention period). Run the export again to get a new file.',
        { retryable: false, cause: error },
      );
    default:
      return new SlackDeliveryError(
        'slack-error',
        'Sending the file to Slack failed unexpectedly. The details are in the app log; please tell your Slack admin.',
        {
          retryable: false,
          cause: error,
          detail: error instanceof Error ? error.message : undefined,
          facts: { kind: 'unexpected' },
        },
      );
  }
}

function platformError(slackError: string, needed: string, cause: unknown): SlackDeliveryError {
  const fail = (
    code: SlackDeliveryCode,
    userMessage: string,
    retryable = false,
    facts: FailureFacts = { slackError },
  ) => new SlackDeliveryError(code, userMessage, { retryable, slackError, cause, detail: slackError, facts });
  if (slackError === 'not_in_channel') {
    return fail('not-in-channel', `I am not a member of this channel. ${INVITE}`);
  }
  if (slackError === 'channel_not_found') {
    return fail(
      'channel-not-found',
      `I cannot see this channel: it was deleted, or it is private and I was not invited. ${INVITE}`,
    );
  }
  if (slackError === 'is_archived') {
    return fail(
      'channel-archived',
      'This channel is archived, so I cannot post the file there. Unarchive it, then press Retry.',
    );
  }
  const kind = classifySlackErrorCode(slackError);
  if (kind === 'auth' || ACCESS_WITHDRAWN.has(slackError)) {
    return fail('slack-auth', `Slack refused the app's credentials (${slackError}). ${REINSTALL}`);
  }
  if (slackError === 'missing_scope') {
    return fail(
      'slack-missing-scope',
      `The app lacks the Slack permission ${needed}. Ask your Slack admin to add the ${needed} scope and reinstall the app, then press Retry.`,
      false,
      { slackError, scope: needed },
    );
  }
  if (kind === 'transient' || kind === 'rate-limited') {
    return fail(
      'slack-unavailable',
      'Slack had a temporary problem. The file will be sent again shortly.',
      true,
    );
  }
  if (slackError === 'file_not_found' || slackError === 'file_upload_not_found') {
    // The bytes did not arrive (or the upload URL expired): a fresh upload can succeed.
    return fail(
      'upload-failed',
      'Slack lost the uploaded file before it was shared. The upload needs another try.',
      true,
      { slackError, kind: 'lost' },
    );
  }
  return fail('slack-error', `Slack refused the file (error: ${slackError}). Please tell your Slack admin.`);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
