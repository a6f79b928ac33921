import type { IncomingMessage } from 'node:http';

/**
 * Fields that Slack clients send as JSON inside a form field. @slack/web-api flattens every
 * non-scalar argument with JSON.stringify before form-encoding it, so `blocks`, `files`, `view`...
 * arrive as strings and must be parsed back to be useful to a test.
 */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'files',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
]);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ParsedArgs {
  args: Record<string, unknown>;
  /** A `token` form field or query parameter (JSON bodies cannot carry one: Slack ignores it there). */
  bodyToken: string | null;
}

/**
 * Slack accepts form-encoded and JSON bodies (and query parameters). Form values stay strings, as
 * Slack receives them, except the JSON-carrying fields above.
 */
export function parseApiArgs(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
): ParsedArgs {
  const args: Record<string, unknown> = {};
  let bodyToken: string | null = null;
  const take = (params: URLSearchParams) => {
    for (const [key, value] of params) {
      if (key === 'token') {
        bodyToken = value;
        continue;
      }
      args[key] = JSON_FIELDS.has(key) ? parseJsonField(value) : value;
    }
  };
  take(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json' && body.length > 0) {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) {
        if (key !== 'token') args[key] = value;
      }
    }
  } else if (type === 'multipart/form-data') {
    for (const part of parseMultipart(contentType ?? '', body)) {
      if (part.filename !== null) args[part.name] = part.data;
      else take(new URLSearchParams([[part.name, part.data.toString('utf8')]]));
    }
  } else if (body.length > 0) {
    take(new URLSearchParams(body.toString('utf8')));
  }
  return { args, bodyToken };
}

function parseJsonField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** A small multipart/form-data reader: enough for what fetch's FormData and curl -F produce. */
export function parseMultipart(contentType: string, body: Buffer): MultipartPart[] {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    // `--boundary--` closes the body.
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const headersStart = afterDelimiter + 2; // skip CRLF
    const headersEnd = body.indexOf('\r\n\r\n', headersStart);
    if (headersEnd === -1) break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next === -1) break;
    const headers = body.subarray(headersStart, headersEnd).toString('utf8');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
      filename: /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null,
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim() ?? null,
      data: body.subarray(headersEnd + 4, next),
    });
    start = next + 2;
  }
  return parts;
}
