import { AppError, type FailureFacts } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { redact } from '../util/log.js';
import { sanitizeLuccaText } from './lucca-text.js';

export type LuccaErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  | 'rate-limited'
  | 'unavailable'
  | 'bad-response'
  | 'file-too-large'
  | 'download-failed'
  | 'not-a-file'
  | 'answer-too-large'
  | 'aborted';

/**
 * A Lucca failure with a stable code and a sentence for a payroll manager. Never holds got's error:
 * got errors carry the request options, headers (and so the API key) included; `cause` is a plain,
 * redacted summary instead.
 */
export class LuccaError extends AppError {
  declare readonly code: LuccaErrorCode;
  readonly httpStatus: number | undefined;
  /** A 429's `Retry-After`, in ms, when Lucca gave one. */
  readonly retryAfterMs: number | undefined;
  /** What Lucca answered, in a few words (`GET /api/v3/timmiexports: HTTP 503`); redacted, no payroll data. */
  readonly detail: string | undefined;

  constructor(
    code: LuccaErrorCode,
    userMessage: string,
    options: {
      httpStatus?: number;
      detail?: string;
      cause?: FailureSummary;
      retryAfterMs?: number;
      facts?: FailureFacts;
    } = {},
  ) {
    super(code, userMessage, { detail: options.detail, cause: options.cause, facts: options.facts });
    this.httpStatus = options.httpStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.detail = options.detail;
  }
}

/** What went wrong with one attempt, safe to log and to keep as an error's cause. */
export interface FailureSummary {
  /** HTTP status, when Lucca (or a gateway) answered. */
  status?: number;
  /** Node/got error code (`ECONNRESET`, `ETIMEDOUT`) when it did not. */
  errorCode?: string;
  /** Lucca's `Message`, or the network error's message; redacted and shortened. */
  message?: string;
}

/** What the request was about, so that a 404 or 400 can say which id or date is wrong. */
export interface RequestContext {
  configurationId?: number;
  exportId?: number;
  endsAt?: string;
}

const MAX_MESSAGE_LENGTH = 200;

/** Lucca errors come as `{"Status":401,"Message":"Unauthorized"}`; gateways answer HTML or nothing. */
export function luccaMessageOf(body: string, secrets: readonly string[]): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const message = record.Message ?? record.message;
  return typeof message === 'string' ? safeText(message, secrets) : undefined;
}

/** Single line (sanitizeLuccaText), short, and without anything that looks like a credential. */
export function safeText(text: string, secrets: readonly string[]): string | undefined {
  const flat = sanitizeLuccaText(redact(text, secrets));
  if (!flat) return undefined;
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : flat;
}

function describe(summary: FailureSummary): string {
  const parts: string[] = [];
  if (summary.status !== undefined) parts.push(`HTTP ${summary.status}`);
  if (summary.errorCode) parts.push(summary.errorCode);
  if (summary.message) parts.push(summary.message);
  return parts.join(' ');
}

/** The error for an answer that says Lucca refused the request (not worth retrying). */
export function refusalError(
  summary: FailureSummary & { status: number },
  context: RequestContext,
): LuccaError {
  const { status } = summary;
  const options = { httpStatus: status, detail: describe(summary), cause: summary };
  switch (status) {
    case 401:
      return new LuccaError(
        'unauthorized',
        'Lucca refused the API key. Ask your Lucca admin for a valid key and set LUCCA_API_KEY.',
        options,
      );
    case 403:
      return new LuccaError(
        'forbidden',
        "Lucca's API key is not allowed to create Timesheet exports. Ask your Lucca admin to give the key's role the right to create exports in Timesheet.",
        options,
      );
    case 404:
      return new LuccaError(
        'not-found',
        context.exportId !== undefined
          ? `Lucca has no export ${context.exportId} (it may have been archived or deleted in Lucca).`
          : `Lucca has no export configuration ${context.configurationId ?? ''}`.trimEnd() +
              '. Check the id: it is the second number in the export-configuration URL in Lucca (…/export/1/3/latest → 3).',
        {
          ...options,
          facts:
            context.exportId !== undefined
              ? { exportId: context.exportId }
              : context.configurationId !== undefined
                ? { configurationId: context.configurationId }
                : {},
        },
      );
    case 400:
    case 422: {
      const what = context.endsAt ? `the export request for end date ${context.endsAt}` : 'the request';
      const reason = summary.message ? `: "${summary.message}"` : '.';
      return new LuccaError('bad-request', `Lucca rejected ${what}${reason}`, {
        ...options,
        facts: {
          ...(context.endsAt ? { endsAt: context.endsAt } : {}),
          ...(summary.message ? { luccaMessage: summary.message } : {}),
        },
      });
    }
    case 429:
      return rateLimitedError(summary);
    default:
      return badResponseError(`unexpected ${describe(summary)}`, status);
  }
}

export function rateLimitedError(summary: FailureSummary, retryAfterMs?: number): LuccaError {
  return new LuccaError(
    'rate-limited',
    "Lucca is refusing requests for now: the tenant's API limit is used up (shared by all its integrations). Try again in a few minutes; if it keeps happening, lower LUCCA_MAX_REQUESTS_PER_MINUTE.",
    {
      httpStatus: summary.status,
      detail: describe(summary),
      cause: summary,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
  );
}

export function unavailableError(summary: FailureSummary, attempts: number): LuccaError {
  return new LuccaError(
    'unavailable',
    `Lucca could not be reached or is not answering properly (${attempts} attempt${attempts === 1 ? '' : 's'}). Try again later; if it lasts, check LUCCA_BASE_URL and Lucca's status.`,
    { httpStatus: summary.status, detail: describe(summary), cause: summary, facts: { attempts } },
  );
}

export function badResponseError(detail: string, httpStatus?: number): LuccaError {
  return new LuccaError(
    'bad-response',
    'Lucca gave an answer the app does not understand. The details are in the log; please tell your Slack admin.',
    { httpStatus, detail },
  );
}

export function fileTooLargeError(maxBytes: number): LuccaError {
  const megabytes = Math.round(maxBytes / 1_000_000);
  return new LuccaError(
    'file-too-large',
    `The export file is larger than ${megabytes} MB, the most the app downloads. Narrow the export in Lucca or download it there.`,
    { detail: `more than ${maxBytes} bytes`, facts: { maxBytes } },
  );
}

/**
 * A download that is not the export file: a web page (a login page after a redirect, an error page)
 * or a redirect from https to plain http. Never delivered as the payroll file; asking again does not help.
 */
export function notAFileError(detail: string): LuccaError {
  return new LuccaError(
    'not-a-file',
    detail.startsWith('redirect')
      ? "Lucca's link to the export file redirected to an unencrypted (http) address, so the app did not download it: payroll data must not travel in clear. Check LUCCA_BASE_URL and the export in Lucca, or tell your Slack admin."
      : 'Lucca answered the file download with a web page instead of the export file (often a login page after a redirect, or an error page), so nothing was delivered. Check the export in Lucca, or tell your Slack admin.',
    { detail, facts: { kind: detail.startsWith('redirect') ? 'redirect' : 'web-page' } },
  );
}

export function downloadFailedError(summary: FailureSummary, attempts: number): LuccaError {
  return new LuccaError(
    'download-failed',
    `The export file could not be downloaded from Lucca (${attempts} attempt${attempts === 1 ? '' : 's'}). Retry the delivery later; the export itself is done.`,
    { httpStatus: summary.status, detail: describe(summary), cause: summary, facts: { attempts } },
  );
}

/**
 * A download slower than its deadline (DownloadPace in transport.ts): a host trickling bytes would
 * otherwise hold one of the engine's slots for ever, each byte restarting the socket timeout.
 */
export function downloadTooSlowError(
  host: string,
  progress: { bytes: number; elapsedMs: number; allowedMs: number },
): LuccaError {
  return new LuccaError(
    'download-failed',
    `The export file came too slowly from ${host} (${progress.bytes} bytes in ${formatDuration(progress.elapsedMs)}, more than the ${formatDuration(progress.allowedMs)} allowed for its size), so the download was stopped. Retry the delivery later; the export itself is done.`,
    {
      detail: `download too slow: ${progress.bytes} bytes in ${progress.elapsedMs} ms from ${host}`,
      facts: { kind: 'too-slow', host, ...progress },
    },
  );
}

/** The caller (a cancelled run, an app stopping) no longer wants the answer. */
export function abortedError(): LuccaError {
  return new LuccaError(
    'aborted',
    'The request to Lucca was stopped: the run was cancelled or the app is stopping.',
  );
}

/** An API answer past the cap (DEFAULT_MAX_ANSWER_BYTES): reading stopped there. */
export function answerTooLargeError(path: string, maxBytes: number): LuccaError {
  const size =
    maxBytes >= 1024 * 1024
      ? `${Math.round(maxBytes / (1024 * 1024))} MB`
      : `${Math.round(maxBytes / 1024)} KB`;
  return new LuccaError(
    'answer-too-large',
    `Lucca sent an answer larger than ${size}, more than Lucca's API ever sends, so the app stopped reading it. Check that LUCCA_BASE_URL points to your Lucca host; if it does, please tell your Slack admin.`,
    { detail: `GET ${path}: answer larger than ${maxBytes} bytes`, facts: { maxBytes } },
  );
}

/**
 * Another host (a storage service behind a signed URL, often reached by Lucca's redirect) refused the
 * file. It never gets the API key, so the key is not the problem; the signed link may have expired,
 * and the next try fetches the export's details, and a fresh link, again.
 */
export function fileHostRefusedError(host: string, status: number, redirected: boolean): LuccaError {
  const where = redirected ? `${host}, where Lucca redirected the download,` : host;
  return new LuccaError(
    'download-failed',
    `The export file's host ${where} refused it (HTTP ${status}). The Lucca API key is not the problem: it is never sent to another host. Retry later (the app asks Lucca for a fresh link); if it keeps happening, tell your Lucca admin.`,
    {
      httpStatus: status,
      detail: `HTTP ${status} from ${host}${redirected ? ' after a redirect' : ''}`,
      facts: { kind: 'file-host', host, status, redirected },
    },
  );
}
