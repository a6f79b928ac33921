import got, { type Got, type OptionsInit } from 'got';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import {
  abortedError,
  answerTooLargeError,
  badResponseError,
  type FailureSummary,
  type LuccaError,
  luccaMessageOf,
  type RequestContext,
  rateLimitedError,
  refusalError,
  safeText,
  unavailableError,
} from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry-policy.js';

/** One attempt's result as the retry loop sees it: a value, or a failure worth another try. */
export type AttemptResult<T> =
  | { ok: true; value: T }
  | { ok: false; summary: FailureSummary; retryAfterMs?: number };

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  clock: Clock;
  logger: Logger;
  limiter: RateLimiter;
  retry: RetryPolicy;
  /** got's timeouts; the defaults suit Lucca, tests shorten them so a hung server costs no minute. */
  timeouts?: Partial<LuccaTimeouts>;
  /** How slow a file download may be before it is stopped. */
  downloadPace?: Partial<DownloadPace>;
  /** The largest API answer read (DEFAULT_MAX_ANSWER_BYTES); file downloads have their own cap. */
  maxAnswerBytes?: number;
}

/**
 * Lucca's API answers stay under 100 MB (developers.lucca.fr, limits). A larger one is not a Lucca
 * answer the app can use, and holding it would cost gigabytes: a 300 MB JSON answer took the app from
 * 123 MB to 1.3 GB of RSS. Reading stops at the cap (before the body when Content-Length says so).
 */
export const DEFAULT_MAX_ANSWER_BYTES = 100 * 1024 * 1024;

/**
 * A download's overall deadline, scaled to its size: `graceMs` plus the time its bytes take at
 * `minBytesPerSecond` (the announced Content-Length, or the bytes received so far when none is
 * announced). got's socket timeout restarts with every byte, so without it a host sending one byte a
 * second would hold a download, and one of the engine's slots, for days.
 */
export interface DownloadPace {
  graceMs: number;
  minBytesPerSecond: number;
}

/** 60 s, then 64 KiB/s: a 500 MB file may take 2 h 15 min; a 10 KB one, a minute. */
export const DEFAULT_DOWNLOAD_PACE: DownloadPace = { graceMs: 60_000, minBytesPerSecond: 64 * 1024 };

/** Milliseconds a download of `bytes` may take under `pace`. */
export function downloadDeadlineMs(bytes: number, pace: DownloadPace): number {
  return pace.graceMs + (bytes * 1000) / pace.minBytesPerSecond;
}

/** got `timeout` objects (milliseconds per phase) for API GETs and for file downloads. */
export interface LuccaTimeouts {
  get: Partial<
    Record<'lookup' | 'connect' | 'secureConnect' | 'socket' | 'send' | 'response' | 'read', number>
  >;
  download: Partial<Record<'lookup' | 'connect' | 'secureConnect' | 'socket' | 'send' | 'response', number>>;
}

/** How long a GET may wait for Lucca's headers, and for the rest of a large answer. */
const GET_TIMEOUTS = { connect: 15_000, secureConnect: 15_000, response: 60_000, read: 120_000 };
/** Between two chunks of a file; the whole download may take as long as it needs. */
const DOWNLOAD_TIMEOUTS = { connect: 15_000, secureConnect: 15_000, response: 60_000, socket: 60_000 };

/**
 * Everything the endpoints share: URLs, the API key (only ever sent to the Lucca origin), the
 * process-wide rate limiter, the retry loop on the injected clock, and one debug line per attempt.
 */
export class LuccaTransport {
  readonly origin: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly limiter: RateLimiter;
  readonly retry: RetryPolicy;
  readonly secrets: readonly string[];
  readonly got: Got;
  readonly timeouts: LuccaTimeouts;
  readonly downloadPace: DownloadPace;
  readonly maxAnswerBytes: number;
  private readonly base: URL;
  private readonly authorization: string;

  constructor(options: TransportOptions) {
    // A trailing slash keeps a path prefix of LUCCA_BASE_URL when API paths are resolved against it.
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.origin = this.base.origin;
    this.authorization = `lucca application=${options.apiKey}`;
    this.secrets = [options.apiKey];
    this.clock = options.clock;
    this.logger = options.logger;
    this.limiter = options.limiter;
    this.retry = options.retry;
    this.timeouts = {
      get: { ...GET_TIMEOUTS, ...options.timeouts?.get },
      download: { ...DOWNLOAD_TIMEOUTS, ...options.timeouts?.download },
    };
    this.downloadPace = { ...DEFAULT_DOWNLOAD_PACE, ...options.downloadPace };
    this.maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    const origin = this.origin;
    this.got = got.extend({
      // Our own loop retries, so that each attempt passes the limiter and sleeps on the injected clock.
      retry: { limit: 0 },
      throwHttpErrors: false,
      headers: { 'user-agent': 'timesheet-export' },
      hooks: {
        beforeRedirect: [
          (redirected) => {
            // got drops the header on a change of host or port but keeps it on an https → http
            // downgrade; compare whole origins instead.
            const target = redirected.url ? new URL(redirected.url) : undefined;
            if (target?.origin !== origin) delete redirected.headers.authorization;
          },
        ],
      },
    });
  }

  /** An API path such as `api/v3/timmiexports`, with v3 query syntax left readable (`a,b,c[d]`). */
  apiUrl(path: string, query: Record<string, string | number> = {}): URL {
    const url = new URL(path.replace(/^\/+/, ''), this.base);
    url.search = Object.entries(query)
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeQueryValue(String(value))}`)
      .join('&');
    return url;
  }

  /** Resolves a file URL (often relative) against the Lucca host. */
  resolve(url: string): URL {
    return new URL(url, this.base);
  }

  isLucca(url: URL): boolean {
    return url.origin === this.origin;
  }

  /** Headers for a request to `url`: the API key goes to the Lucca origin and nowhere else. */
  headersFor(url: URL): Record<string, string> {
    return this.isLucca(url)
      ? { authorization: this.authorization, accept: 'application/json' }
      : { accept: '*/*' };
  }

  /** For logs: a query to another host may hold a signature, so only its path is kept. */
  logTarget(url: URL): string {
    return this.isLucca(url) ? `${url.pathname}${url.search}` : `${url.origin}${url.pathname}`;
  }

  /**
   * GET with retries (`attempts`: the policy's unless given); returns the parsed JSON body of a 2xx
   * answer. `signal` stops it at once.
   */
  async getJson(
    url: URL,
    context: RequestContext,
    signal?: AbortSignal,
    attempts?: number,
  ): Promise<unknown> {
    const answer = await this.withRetries<{ status: number; body: string; contentType: unknown }>(
      async (attempt) => {
        await this.limiter.acquire(signal);
        if (signal?.aborted) throw abortedError();
        const started = this.clock.now();
        let response: { statusCode: number; body: string; headers: Record<string, unknown> };
        let read = 0;
        try {
          const request = this.got(url, {
            method: 'GET',
            headers: this.headersFor(url),
            responseType: 'text',
            timeout: this.timeouts.get,
            ...(signal ? { signal } : {}),
          } satisfies OptionsInit);
          request.on('downloadProgress', ({ transferred, total }) => {
            read = Math.max(transferred, total ?? 0);
            if (read > this.maxAnswerBytes) request.cancel();
          });
          response = await request;
        } catch (error) {
          if (read > this.maxAnswerBytes) {
            this.logAttempt('GET', url, attempt, started, { bytes: read });
            throw answerTooLargeError(url.pathname, this.maxAnswerBytes);
          }
          this.logAttempt('GET', url, attempt, started, { error: summariseError(error, this.secrets) });
          return { ok: false, summary: summariseError(error, this.secrets) };
        }
        const status = response.statusCode;
        this.logAttempt('GET', url, attempt, started, { status });
        if (status >= 200 && status < 300) {
          return {
            ok: true,
            value: { status, body: response.body, contentType: response.headers['content-type'] },
          };
        }
        const summary = this.summariseAnswer(status, response.body);
        if (!isRetryableStatus(status)) throw refusalError({ ...summary, status }, context);
        return { ok: false, summary, retryAfterMs: this.retryAfterOf(response.headers) };
      },
      (summary, tries) =>
        summary.status === 429 ? rateLimitedError(summary) : unavailableError(summary, tries),
      signal,
      attempts,
    );
    try {
      return JSON.parse(answer.body);
    } catch {
      throw badResponseError(`GET ${url.pathname}: ${this.describeNotJson(answer)}`, answer.status);
    }
  }

  /**
   * What a 2xx answer that is not JSON looks like, in a few words for the thread and the log: a
   * maintenance or login page is told by its title. Never the body itself (it may echo anything).
   */
  describeNotJson(answer: { status: number; body: string; contentType: unknown }): string {
    const type = typeof answer.contentType === 'string' ? answer.contentType.split(';')[0]!.trim() : '';
    const of = `HTTP ${answer.status}${type ? `, ${type}` : ''}`;
    if (!/html/i.test(type) && !/^\s*</.test(answer.body)) {
      return `a body that is not JSON (${of}, ${answer.body.length} characters)`;
    }
    // The head of the page is enough, and keeps the search short on a large body.
    const rawTitle = /<title[^>]*>([^<]{1,300})<\/title>/i.exec(answer.body.slice(0, 64 * 1024))?.[1];
    const title = rawTitle ? safeText(rawTitle, this.secrets) : undefined;
    return `an HTML page (${of})${title ? ` titled "${title}"` : ''}, not JSON`;
  }

  /**
   * Runs `attempt` until it succeeds or the policy's attempts are spent, sleeping on the injected
   * clock between tries. An attempt throws for failures that another try cannot mend. Once `signal`
   * aborts, no other try is made: it throws an `aborted` LuccaError.
   */
  async withRetries<T>(
    attempt: (attempt: number) => Promise<AttemptResult<T>>,
    giveUp: (last: FailureSummary, attempts: number) => LuccaError,
    signal?: AbortSignal,
    attempts = this.retry.attempts,
  ): Promise<T> {
    const limit = Math.min(attempts, this.retry.attempts);
    let last: FailureSummary = {};
    for (let n = 1; n <= limit; n++) {
      if (signal?.aborted) throw abortedError();
      const result = await attempt(n);
      if (result.ok) return result.value;
      if (signal?.aborted) throw abortedError();
      last = result.summary;
      if (n < limit) await this.clock.sleep(retryDelayMs(n, this.retry, result.retryAfterMs), signal);
    }
    throw giveUp(last, limit);
  }

  summariseAnswer(status: number, body: string): FailureSummary & { status: number } {
    const message = luccaMessageOf(body, this.secrets);
    return message ? { status, message } : { status };
  }

  retryAfterOf(headers: Record<string, unknown>): number | undefined {
    const value = headers['retry-after'];
    return parseRetryAfter(typeof value === 'string' ? value : undefined, this.clock.now());
  }

  logAttempt(
    method: string,
    url: URL,
    attempt: number,
    started: number,
    outcome: { status?: number; error?: FailureSummary; bytes?: number },
  ): void {
    this.logger.debug('lucca request', {
      method,
      path: this.logTarget(url),
      status: outcome.status,
      error: outcome.error?.errorCode,
      bytes: outcome.bytes,
      attempt,
      durationMs: this.clock.now() - started,
    });
  }
}

/** A got/Node error reduced to what is safe to keep: got's error object carries the headers. */
export function summariseError(error: unknown, secrets: readonly string[]): FailureSummary {
  if (typeof error !== 'object' || error === null) return { message: safeText(String(error), secrets) };
  const e = error as { code?: unknown; name?: unknown; message?: unknown };
  const errorCode = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : undefined;
  const message = typeof e.message === 'string' ? safeText(e.message, secrets) : undefined;
  return { ...(errorCode ? { errorCode } : {}), ...(message ? { message } : {}) };
}

// v3 query values are our own ids and field lists; commas and brackets stay as Lucca's guide writes them.
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%5B/gi, '[').replace(/%5D/gi, ']');
}
