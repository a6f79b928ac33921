import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  abortedError,
  badResponseError,
  downloadFailedError,
  downloadTooSlowError,
  fileHostRefusedError,
  fileTooLargeError,
  LuccaError,
  notAFileError,
  rateLimitedError,
  refusalError,
} from './errors.js';
import { isRetryableStatus } from './retry-policy.js';
import { type AttemptResult, downloadDeadlineMs, type LuccaTransport, summariseError } from './transport.js';

/** Lucca caps API payloads at 100 MB; export files are bounded generously above that. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 500 * 1024 * 1024;

export interface DownloadOptions {
  maxBytes?: number;
  /** The run's: a cancelled run stops its download at once (and leaves no `.part` behind). */
  signal?: AbortSignal;
}

/**
 * Streams one export file to disk: `<destination>.part`, then renamed, so a reader never sees half a
 * file. The shape of `exportFiles` is undocumented and a file may live on another host (a storage
 * service behind a signed URL, say): such a host gets the file request without the API key, since
 * the URL itself must carry the access; refusing it would make the export undeliverable. Plain
 * http to another host is refused when Lucca itself is https: payroll data must not travel in clear.
 * Each attempt has an overall deadline scaled to the file's size (`transport.downloadPace`).
 */
export async function downloadFile(
  transport: LuccaTransport,
  rawUrl: string,
  destinationPath: string,
  options: DownloadOptions = {},
): Promise<{ bytes: number }> {
  const url = checkedUrl(transport, rawUrl);
  const partPath = `${destinationPath}.part`;
  const limits = { maxBytes: options.maxBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES, signal: options.signal };
  await mkdir(path.dirname(destinationPath), { recursive: true });
  try {
    const bytes = await transport.withRetries(
      (attempt) => downloadOnce(transport, url, partPath, limits, attempt),
      (summary, attempts) =>
        summary.status === 429 ? rateLimitedError(summary) : downloadFailedError(summary, attempts),
      options.signal,
    );
    await rename(partPath, destinationPath);
    return { bytes };
  } catch (error) {
    await rm(partPath, { force: true });
    throw error;
  }
}

function checkedUrl(transport: LuccaTransport, rawUrl: string): URL {
  let url: URL;
  try {
    url = transport.resolve(rawUrl);
  } catch {
    throw badResponseError('an export file URL is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badResponseError(`an export file URL uses ${url.protocol}`);
  }
  if (!transport.isLucca(url) && url.protocol === 'http:' && transport.origin.startsWith('https:')) {
    throw badResponseError(`an export file is on another host over plain http (${url.host})`);
  }
  return url;
}

async function downloadOnce(
  transport: LuccaTransport,
  url: URL,
  partPath: string,
  limits: { maxBytes: number; signal: AbortSignal | undefined },
  attempt: number,
): Promise<AttemptResult<number>> {
  const { maxBytes, signal } = limits;
  await transport.limiter.acquire(signal);
  if (signal?.aborted) throw abortedError();
  const started = transport.clock.now();
  const source = transport.got.stream(url, {
    headers: transport.headersFor(url),
    timeout: transport.timeouts.download,
    hooks: { beforeRedirect: [refuseDowngrade] },
    ...(signal ? { signal } : {}),
  });
  // Errors surface through `response` below or through pipeline(); this keeps a stray one from
  // being thrown as unhandled in between.
  source.on('error', () => {});

  let response: { statusCode: number; headers: IncomingHttpHeaders; url?: string; redirectUrls?: URL[] };
  try {
    response = await new Promise((resolve, reject) => {
      source.once('response', resolve);
      source.once('error', reject);
    });
  } catch (error) {
    const summary = summariseError(error, transport.secrets);
    transport.logAttempt('GET', url, attempt, started, { error: summary });
    // got wraps a hook's error; a refused redirect is final.
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (cause instanceof LuccaError) throw cause;
    return { ok: false, summary };
  }

  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    source.destroy();
    transport.logAttempt('GET', url, attempt, started, { status });
    if (isRetryableStatus(status)) {
      return { ok: false, summary: { status }, retryAfterMs: transport.retryAfterOf(response.headers) };
    }
    // The key goes to the Lucca origin only (beforeRedirect drops it on the way out): a refusal by
    // any other host says nothing about the key, and the person must know who refused.
    const hops = response.redirectUrls ?? [];
    const keySent = transport.isLucca(url) && hops.every((hop) => transport.isLucca(hop));
    if (keySent && status === 401) throw refusalError({ status }, {});
    const answeredBy = response.url ? new URL(response.url) : url;
    if (!transport.isLucca(answeredBy) && (status === 401 || status === 403)) {
      throw fileHostRefusedError(answeredBy.host, status, hops.length > 0);
    }
    throw downloadFailedError({ status }, attempt);
  }

  if (isWebPage(response.headers['content-type'])) {
    source.destroy();
    transport.logAttempt('GET', url, attempt, started, { status });
    throw notAFileError(`a ${status} answer of type ${response.headers['content-type']}`);
  }

  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    source.destroy();
    throw fileTooLargeError(maxBytes);
  }

  const pace = transport.downloadPace;
  const counter = new ByteCounter((bytes) => {
    if (bytes > maxBytes) return fileTooLargeError(maxBytes);
    const elapsedMs = transport.clock.now() - started;
    const allowedMs = downloadDeadlineMs(Number.isFinite(announced) ? announced : bytes, pace);
    if (elapsedMs <= allowedMs) return undefined;
    return downloadTooSlowError(transport.isLucca(url) ? 'Lucca' : url.host, { bytes, elapsedMs, allowedMs });
  });
  // Payroll data: the file is the app user's alone, whatever the umask.
  const file = createWriteStream(partPath, { mode: 0o600 });
  let diskError: unknown;
  file.once('error', (error) => {
    diskError = error;
  });
  try {
    await pipeline(source, counter, file);
  } catch (error) {
    transport.logAttempt('GET', url, attempt, started, { status, bytes: counter.bytes });
    if (error instanceof LuccaError) throw error;
    // Our disk failed (full, read-only), not Lucca: downloading again cannot help. Thrown as the
    // file system's own error, for the caller, who knows the folder, to explain.
    if (diskError) throw diskError;
    return { ok: false, summary: summariseError(error, transport.secrets) };
  }
  transport.logAttempt('GET', url, attempt, started, { status, bytes: counter.bytes });
  return { ok: true, value: counter.bytes };
}

/** A login or error page is HTML; an export file (CSV, XLSX, TXT, ZIP) never is. */
function isWebPage(contentType: string | undefined): boolean {
  return /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(contentType ?? '');
}

/** got's beforeRedirect hook: an https page sending us to plain http is not followed. */
function refuseDowngrade(next: { url?: URL | string | undefined }, response: { url?: string }): void {
  const from = response.url ? new URL(response.url) : undefined;
  const to = next.url ? new URL(String(next.url)) : undefined;
  if (from?.protocol === 'https:' && to?.protocol === 'http:') {
    throw notAFileError(`redirect from https to http (${to.host})`);
  }
}

/**
 * Counts bytes as they pass and stops the stream when `check` finds a reason: past the size limit
 * (Content-Length may be absent) or past the deadline. Checked as each chunk arrives: a host that
 * sends nothing at all is cut by got's socket timeout instead.
 */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly check: (bytes: number) => LuccaError | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const stop = this.check(this.bytes);
    if (stop) callback(stop);
    else callback(null, chunk);
  }
}
