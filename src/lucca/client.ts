import type { z } from 'zod';
import { type Clock, systemClock } from '../util/clock.js';
import { type Logger, silentLogger } from '../util/log.js';
import { downloadFile } from './download.js';
import { badResponseError, type RequestContext, refusalError, unavailableError } from './errors.js';
import { findOurExport } from './find-export.js';
import { RateLimiter } from './rate-limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import {
  createdExportSchema,
  describeIssues,
  exportDetailSchema,
  exportListSchema,
  toExportRef,
  toLuccaExport,
} from './schemas.js';
import { type DownloadPace, type LuccaTimeouts, LuccaTransport, summariseError } from './transport.js';
import { triggerAnswerOf, triggerFailureOf } from './trigger-outcome.js';
import type { LuccaApi, TriggerRequest, TriggerResult } from './types.js';

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

/** Every field the app uses: the run summary, the CSV fallback, and the files (DESIGN §1.4). */
const EXPORT_FIELDS =
  'id,name,createdAt,configurationId,startsAt,endsAt,exportFiles[id,name,url],' +
  'entries[id,name,amount,amountUnit,externalCode,endsAt,owner[id,lastName,firstName],' +
  'timeType[id,name,payTreatment],axisSections[id,name,code,axisId,active,startOn,endOn]]';

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

    async findExport(configurationId, baselineId, endsAt, requestOptions) {
      const url = transport.apiUrl(EXPORTS, {
        configurationId,
        id: `greaterthan,${baselineId}`,
        archivedAt: 'null',
        fields: 'id,createdAt,endsAt',
      });
      const list = await getValid(url, exportListSchema, { configurationId }, requestOptions?.signal);
      return findOurExport(list.data.items.map(toExportRef), baselineId, endsAt);
    },

    async getExport(exportId, requestOptions) {
      const url = transport.apiUrl(`${EXPORTS}/${exportId}`, { fields: EXPORT_FIELDS });
      return toLuccaExport(await getValid(url, exportDetailSchema, { exportId }, requestOptions?.signal));
    },

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
  let response: { statusCode: number; body: string };
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
  throw refusalError(transport.summariseAnswer(status, response.body), context);
}

function createdExportId(body: string): number | undefined {
  try {
    const parsed = createdExportSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.data.id : undefined;
  } catch {
    return undefined;
  }
}
