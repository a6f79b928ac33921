import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  badResponseError,
  downloadFailedError,
  fileTooLargeError,
  LuccaError,
  notAFileError,
  rateLimitedError,
  refusalError,
} from './errors.js';
import { isRetryableStatus } from './retry-policy.js';
import { type AttemptResult, type LuccaTransport, summariseError } from './transport.js';

/** Lucca caps API payloads at 100 MB; export files are bounded generously above that. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 500 * 1024 * 1024;

/**
 * Streams one export file to disk: `<destination>.part`, then renamed, so a reader never sees half a
 * file. The shape of `exportFiles` is undocumented and a file may live on another host (a storage
 * service behind a signed URL, say): such a host gets the file request without the API key, since
 * the URL itself must carry the access; refusing it would make the export undeliverable. Plain
 * http to another host is refused when Lucca itself is https: payroll data must not travel in clear.
 */
export async function downloadFile(
  transport: LuccaTransport,
  rawUrl: string,
  destinationPath: string,
  maxBytes: number = DEFAULT_MAX_DOWNLOAD_BYTES,
): Promise<{ bytes: number }> {
  const url = checkedUrl(transport, rawUrl);
  const partPath = `${destinationPath}.part`;
  await mkdir(path.dirname(destinationPath), { recursive: true });
  try {
    const bytes = await transport.withRetries(
      (attempt) => downloadOnce(transport, url, partPath, maxBytes, attempt),
      (summary, attempts) =>
        summary.status === 429 ? rateLimitedError(summary) : downloadFailedError(summary, attempts),
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
  maxBytes: number,
  attempt: number,
): Promise<AttemptResult<number>> {
  await transport.limiter.acquire();
  const started = transport.clock.now();
  const source = transport.got.stream(url, {
    headers: transport.headersFor(url),
    timeout: transport.timeouts.download,
    hooks: { beforeRedirect: [refuseDowngrade] },
  });
  // Errors surface through `response` below or through pipeline(); this keeps a stray one from
  // being thrown as unhandled in between.
  source.on('error', () => {});

  let response: { statusCode: number; headers: IncomingHttpHeaders };
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
    if (transport.isLucca(url) && status === 401) throw refusalError({ status }, {});
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

  const counter = new ByteCounter(maxBytes);
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

/** Counts bytes as they pass and stops the stream past the limit (Content-Length may be absent). */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) callback(fileTooLargeError(this.maxBytes));
    else callback(null, chunk);
  }
}
