import type { IncomingHttpHeaders } from 'node:http';
import { JSONParser } from '@streamparser/json';
import {
  abortedError,
  answerTooLargeError,
  badResponseError,
  LuccaError,
  rateLimitedError,
  refusalError,
  unavailableError,
} from './errors.js';
import { isRetryableStatus } from './retry-policy.js';
import { toEntryItem } from './schemas.js';
import { type AttemptResult, type LuccaTransport, summariseError } from './transport.js';
import type { ExportEntry } from './types.js';

/** An error answer is short; more than this is not read (only its `Message` matters). */
const MAX_ERROR_BODY = 64 * 1024;

/**
 * GET an export's entries, parsed as they arrive: each entry becomes an ExportEntry as soon as its
 * closing brace is read, and nothing else is kept. Read whole (a string, then JSON.parse, then a
 * validated copy), 200 000 entries took ~550 MB over idle (bench/memory.ts `entries`); streamed,
 * only the ExportEntry list remains. Same retries, limiter, key handling, size cap, cancel `signal`
 * and errors as every GET.
 */
export async function getEntriesStreamed(
  transport: LuccaTransport,
  url: URL,
  exportId: number,
  attempts: number,
  signal?: AbortSignal,
): Promise<ExportEntry[]> {
  return transport.withRetries(
    (attempt) => entriesOnce(transport, url, exportId, attempt, signal),
    (summary, tries) =>
      summary.status === 429 ? rateLimitedError(summary) : unavailableError(summary, tries),
    signal,
    attempts,
  );
}

async function entriesOnce(
  transport: LuccaTransport,
  url: URL,
  exportId: number,
  attempt: number,
  signal: AbortSignal | undefined,
): Promise<AttemptResult<ExportEntry[]>> {
  await transport.limiter.acquire(signal);
  if (signal?.aborted) throw abortedError();
  const started = transport.clock.now();
  const source = transport.got.stream(url, {
    headers: transport.headersFor(url),
    timeout: transport.timeouts.get,
    ...(signal ? { signal } : {}),
  });
  source.on('error', () => {});
  let response: { statusCode: number; headers: IncomingHttpHeaders };
  try {
    response = await new Promise((resolve, reject) => {
      source.once('response', resolve);
      source.once('error', reject);
    });
  } catch (error) {
    if (signal?.aborted) throw abortedError();
    const summary = summariseError(error, transport.secrets);
    transport.logAttempt('GET', url, attempt, started, { error: summary });
    return { ok: false, summary };
  }
  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    const body = await readSome(source, MAX_ERROR_BODY);
    transport.logAttempt('GET', url, attempt, started, { status });
    const summary = transport.summariseAnswer(status, body);
    if (!isRetryableStatus(status)) throw refusalError({ ...summary, status }, { exportId });
    return { ok: false, summary, retryAfterMs: transport.retryAfterOf(response.headers) };
  }

  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > transport.maxAnswerBytes) {
    source.destroy();
    transport.logAttempt('GET', url, attempt, started, { status, bytes: 0 });
    throw answerTooLargeError(url.pathname, transport.maxAnswerBytes);
  }

  const entries: ExportEntry[] = [];
  const parser = new JSONParser({ paths: ['$.data.entries.*'], keepStack: false });
  let invalid: Error | undefined;
  parser.onValue = ({ value }) => {
    if (invalid) return;
    try {
      entries.push(toEntryItem(value, entries.length));
    } catch (error) {
      invalid = error as Error;
    }
  };
  let bytes = 0;
  // The parser's errors are Lucca's (not JSON); the stream's are the network's (worth another try).
  const feed = (write: () => void) => {
    try {
      write();
    } catch {
      invalid ??= badResponseError(`GET ${url.pathname}: the body is not JSON`);
    }
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > transport.maxAnswerBytes) {
        source.destroy();
        transport.logAttempt('GET', url, attempt, started, { status, bytes });
        throw answerTooLargeError(url.pathname, transport.maxAnswerBytes);
      }
      feed(() => parser.write(chunk));
      if (invalid) break;
    }
    // The parser ends by itself once the document is complete; end() then says whether it was cut short.
    if (!invalid && !parser.isEnded) feed(() => parser.end());
  } catch (error) {
    source.destroy();
    // The size cap's own error: no other try would be smaller.
    if (error instanceof LuccaError) throw error;
    transport.logAttempt('GET', url, attempt, started, { status, bytes });
    if (signal?.aborted) throw abortedError();
    return { ok: false, summary: summariseError(error, transport.secrets) };
  }
  source.destroy();
  transport.logAttempt('GET', url, attempt, started, { status, bytes });
  if (invalid) throw invalid;
  return { ok: true, value: entries };
}

async function readSome(source: AsyncIterable<Buffer> & { destroy(): void }, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) break;
    }
  } catch {
    // An error answer cut short still has a status; its body is only a bonus.
  } finally {
    source.destroy();
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}
