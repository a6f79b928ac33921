import type { z } from 'zod';
import { type Clock, systemClock } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/log.js';
import { EXPORT_ENTRIES_FIELDS, EXPORT_HEADER_FIELDS } from './client-fields.js';
import { downloadFile } from './download.js';
import { getEntriesStreamed } from './entries-stream.js';
import {
  badResponseError,
  LuccaError,
  type RequestContext,
  rateLimitedError,
  refusalError,
  unavailableError,
} from './errors.js';
import { findOurExport, lacksReadableEndsAt } from './find-export.js';
import { inspectExportShapes } from './inspect.js';
import { RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import {
  createdExportSchema,
  describeIssues,
  exportHeaderSchema,
  exportListSchema,
  toExportRef,
  toLuccaExport,
} from './schemas.js';
import { type DownloadPace, type LuccaTimeouts, LuccaTransport, summariseError } from './transport.js';
import { triggerAnswerOf, triggerFailureOf } from './trigger-outcome.js';
import type { LuccaApi, TriggerRequest, TriggerResult } from './types.js';

export { EXPORT_ENTRIES_FIELDS, EXPORT_HEADER_FIELDS, GUIDE_EXPORT_FIELDS } from './client-fields.js';
export { RateLimiter } from './rate-limiter.js';

export interface LuccaClientOptions {
  /** `LUCCA_BASE_URL`, e.g. `https://example.ilucca.net`. */
  baseUrl: string;
  apiKey: string;
  /** Used to build a limiter when none is given. */
  maxRequestsPerMinute: number;
  clock?: Clock;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Share one limiter across every Lucca client of the process (the tenant's limit is global). */
  limiter?: RateLimiter;
  /** got's timeouts per phase; the defaults suit Lucca (tests shorten them). */
  timeouts?: Partial<LuccaTimeouts>;
  /** A file download's deadline for its size (DEFAULT_DOWNLOAD_PACE). */
  downloadPace?: Partial<DownloadPace>;
  /** The largest API answer read (DEFAULT_MAX_ANSWER_BYTES). */
  maxAnswerBytes?: number;
}

const EXPORTS = 'api/v3/timmiexports';

/**
 * The poll's fields: the guide's `id,createdAt`, plus `endsAt` (a property of the export: the guide's
 * detail selects it) to tell our export from one someone else started. Lists are paged by 10 when
 * no `paging` is given (RestDrivenDomain RddOptions.cs): ask for up to 100, oldest first.
 */
const POLL_FIELDS = 'id,createdAt,endsAt';
const POLL_FIELDS_GUIDE = 'id,createdAt';

/** A 408 on the entries is Lucca's cut for a large answer: asking four times would only delay the file. */
const ENTRIES_ATTEMPTS = 2;

/** The Lucca Timesheet export API (DESIGN §1) over got, with one rate limiter and GET retries. */
export function createLuccaClient(options: LuccaClientOptions): LuccaApi {
  const clock = options.clock ?? systemClock;
  const transport = new LuccaTransport({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    clock,
    logger: options.logger ?? silentLogger,
    limiter: options.limiter ?? new RateLimiter({ limit: options.maxRequestsPerMinute, clock }),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.downloadPace ? { downloadPace: options.downloadPace } : {}),
    ...(options.maxAnswerBytes ? { maxAnswerBytes: options.maxAnswerBytes } : {}),
  });

  const logger = options.logger ?? silentLogger;
  const getValid = async <S extends z.ZodType>(
    url: URL,
    schema: S,
    context: RequestContext,
    signal?: AbortSignal,
  ) => {
    const result = schema.safeParse(await transport.getJson(url, context, signal));
    if (!result.success) {
      throw badResponseError(
        `GET ${url.pathname}: JSON of an unexpected shape (${describeIssues(result.error)})`,
      );
    }
    return result.data as z.infer<S>;
  };
  // Said once per process, not at every poll.
  let warnedAboutEndsAt = false;
  let pollFields = POLL_FIELDS;

  return {
    async latestExportId(configurationId, requestOptions) {
      const url = transport.apiUrl(EXPORTS, {
        configurationId,
        orderBy: 'createdAt,desc,id,desc',
        archivedAt: 'null',
        paging: '0,1',
        fields: 'id,createdAt',
      });
      const list = await getValid(url, exportListSchema, { configurationId }, requestOptions?.signal);
      return list.data.items[0]?.id ?? 0;
    },

    triggerExport: (request) => triggerExport(transport, request),

    async findExport(configurationId, baselineId, endsAt, createdAfter, requestOptions) {
      const signal = requestOptions?.signal;
      const pollUrl = () =>
        transport.apiUrl(EXPORTS, {
          configurationId,
          id: `greaterthan,${baselineId}`,
          archivedAt: 'null',
          orderBy: 'id,asc',
          paging: '0,100',
          fields: pollFields,
        });
      let list: z.infer<typeof exportListSchema>;
      try {
        list = await getValid(pollUrl(), exportListSchema, { configurationId }, signal);
      } catch (error) {
        // A tenant whose exports have no `endsAt` in lists: poll with the guide's own fields.
        if (!(error instanceof LuccaError) || !/selected property endsat/i.test(error.message)) throw error;
        logger.warn("Lucca refused endsAt in the export list; polling with the guide's fields id,createdAt");
        pollFields = POLL_FIELDS_GUIDE;
        list = await getValid(pollUrl(), exportListSchema, { configurationId }, signal);
      }
      const refs = list.data.items.map(toExportRef);
      const unreadable = lacksReadableEndsAt(refs);
      if (unreadable && !warnedAboutEndsAt) {
        warnedAboutEndsAt = true;
        logger.warn(
          "an export in Lucca's list has no end date the app can read: matching on id and creation time",
          {
            endsAt: unreadable.rawEndsAt ?? '(absent)',
          },
        );
      }
      return findOurExport(refs, baselineId, endsAt, createdAfter);
    },

    async getExport(exportId, requestOptions) {
      const url = transport.apiUrl(`${EXPORTS}/${exportId}`, { fields: EXPORT_HEADER_FIELDS });
      const details = toLuccaExport(
        await getValid(url, exportHeaderSchema, { exportId }, requestOptions?.signal),
      );
      const unusable = details.exportFiles.filter((file) => !file.url);
      if (unusable.length) {
        logger.warn('export files without a link the app can use', {
          exportId,
          files: unusable.length,
          keys: [...new Set(unusable.flatMap((file) => file.keys ?? []))].join(','),
        });
      }
      return details;
    },

    getExportEntries(exportId, requestOptions) {
      const url = transport.apiUrl(`${EXPORTS}/${exportId}`, { fields: `id,${EXPORT_ENTRIES_FIELDS}` });
      return getEntriesStreamed(transport, url, exportId, ENTRIES_ATTEMPTS, requestOptions?.signal);
    },

    inspectExportShapes: (configurationId) => inspectExportShapes(transport, configurationId),

    downloadFile: (url, destinationPath, downloadOptions) =>
      downloadFile(transport, url, destinationPath, downloadOptions),
  };
}

/**
 * One POST, never retried: a second POST is a second export. It is held at most `timeoutMs`;
 * Lucca keeps building after we hang up, and polling finds the result.
 */
async function triggerExport(transport: LuccaTransport, request: TriggerRequest): Promise<TriggerResult> {
  const { configurationId, endsAt, timeoutMs, signal } = request;
  const context = { configurationId, endsAt };
  await transport.limiter.acquire(signal);
  if (signal?.aborted) return { status: 'pending', reason: 'unknown' };

  const url = transport.apiUrl(`${EXPORTS}/run`, { fields: 'id' });
  const started = transport.clock.now();
  let response: { statusCode: number; body: string; headers: Record<string, unknown> };
  try {
    response = await transport.got(url, {
      method: 'POST',
      headers: transport.headersFor(url),
      json: { endsAt: `${endsAt}T00:00:00`, configurationId },
      responseType: 'text',
      retry: { limit: 0 },
      followRedirect: false,
      timeout: { request: timeoutMs },
      signal,
    });
  } catch (error) {
    const summary = summariseError(error, transport.secrets);
    transport.logAttempt('POST', url, 1, started, { error: summary });
    const failure = signal?.aborted ? triggerFailureOf(undefined) : triggerFailureOf(summary.errorCode);
    if (failure === 'not-sent') throw unavailableError(summary, 1);
    return failure;
  }

  const status = response.statusCode;
  transport.logAttempt('POST', url, 1, started, { status });
  const answer = triggerAnswerOf(status, createdExportId(response.body));
  if (answer.status !== 'refused') return answer;
  const summary = transport.summariseAnswer(status, response.body);
  // Lucca's limits page: on 429, respect Retry-After (FACTS.md); the engine posts again after it.
  if (status === 429) throw rateLimitedError(summary, transport.retryAfterOf(response.headers));
  throw refusalError(summary, context);
}

function createdExportId(body: string): number | undefined {
  try {
    const parsed = createdExportSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.data.id : undefined;
  } catch {
    return undefined;
  }
}
