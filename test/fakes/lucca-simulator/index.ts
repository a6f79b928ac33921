import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../../src/util/clock.js';
import { contentBlock, entriesFor } from './content.js';
import { parseFields, project } from './fields.js';

/**
 * A real HTTP server that behaves like Lucca's Timesheet export API (DESIGN §1): wrapped answers,
 * v3 query syntax, `{"Status":…,"Message":…}` errors, a synchronous POST that outlives the
 * gateway while the export goes on being built, exports visible only once built, and file downloads.
 */
export interface ConfigurationBehaviour {
  /** false → 404 on every call for it. */
  exists: boolean;
  /** true → the POST answers 403. */
  forbidden: boolean;
  /** Build time of a triggered export, on the injected clock. */
  buildMs: number | 'never';
  /** Real ms the POST connection is held before `postAnswer`, unless the export is built sooner. */
  postHoldMs: number;
  postAnswer: 408 | 502 | 504 | 'export';
  /** exportFiles per export (0: none, the app renders a CSV). */
  files: number;
  fileBytes: number;
  entries: number;
  fileNames?: string[];
  fileUrlMode?: 'relative' | 'absolute' | 'foreign';
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  at: number;
}

export type FailAnswer =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'reset'
  | 'malformed'
  | 'wrong-shape';

export interface LuccaSimulator {
  url: string;
  apiKey: string;
  configure(configurationId: number, behaviour: Partial<ConfigurationBehaviour>): void;
  /** An existing (or someone else's) export, visible at once; returns its id. */
  addExport(configurationId: number, endsAt: string, options?: { archived?: boolean }): number;
  /** The next matching requests get `answer` instead of reaching "Lucca" (nothing is created). */
  failNext(match: { method?: string; pathIncludes?: string }, answer: FailAnswer, times?: number): void;
  requests: RecordedRequest[];
  /** POST /run requests, optionally for one configuration. */
  posts(configurationId?: number): RecordedRequest[];
  exportsOf(configurationId: number): { id: number; endsAt: string; readyAt: number | 'never' }[];
  close(): Promise<void>;
}

export interface SimulatorOptions {
  apiKey?: string;
  clock?: Clock;
  port?: number;
  host?: string;
  defaults?: Partial<ConfigurationBehaviour>;
  /** One line per request (method, path, status, duration); never headers. */
  log?: (line: string) => void;
}

const DEFAULT_BEHAVIOUR: ConfigurationBehaviour = {
  exists: true,
  forbidden: false,
  buildMs: 0,
  postHoldMs: 60_000,
  postAnswer: 408,
  files: 1,
  fileBytes: 2048,
  entries: 3,
  fileUrlMode: 'relative',
};

interface SimExport {
  id: number;
  configurationId: number;
  endsAt: string;
  createdAt: number;
  readyAt: number | 'never';
  archived: boolean;
}

interface FailRule {
  match: { method?: string; pathIncludes?: string };
  answer: FailAnswer;
  remaining: number;
}

const FILES_PATH = /^\/timmi-exports\/files\/(\d+)$/;
/** A file id encodes its export and its position, so that files need no state of their own. */
const FILES_PER_EXPORT = 1000;
const HOLD_CHECK_MS = 5;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export async function startLuccaSimulator(options: SimulatorOptions = {}): Promise<LuccaSimulator> {
  const apiKey = options.apiKey ?? 'sim-key';
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const defaults = { ...DEFAULT_BEHAVIOUR, ...options.defaults };
  const behaviours = new Map<number, ConfigurationBehaviour>();
  const exports: SimExport[] = [];
  const requests: RecordedRequest[] = [];
  const failRules: FailRule[] = [];
  const holds = new Set<NodeJS.Timeout>();
  let nextId = 1;

  const behaviourOf = (configurationId: number) => behaviours.get(configurationId) ?? defaults;
  const isBuilt = (e: SimExport) => e.readyAt !== 'never' && e.readyAt <= clock.now();
  const visible = (e: SimExport) => isBuilt(e) && behaviourOf(e.configurationId).exists;

  const main = http.createServer((req, res) => void handle(req, res, false));
  const foreign = http.createServer((req, res) => void handle(req, res, true));
  const port = await listen(main, host, options.port ?? 0);
  const foreignBase = await listenForeign(foreign, host);
  const url = `http://${host}:${port}`;

  async function handle(req: IncomingMessage, res: ServerResponse, onForeignHost: boolean): Promise<void> {
    const started = Date.now();
    const target = new URL(req.url ?? '/', 'http://simulator');
    const rawBody = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: flattenHeaders(req.headers),
      body: parseBody(rawBody),
      at: clock.now(),
    };
    requests.push(recorded);
    res.on('close', () => {
      options.log?.(
        `${new Date().toISOString()} ${recorded.method} ${req.url} → ${res.headersSent ? res.statusCode : 'hung up'} (${Date.now() - started} ms)`,
      );
    });
    try {
      const rule = takeFailRule(recorded.method, req.url ?? '/');
      if (rule) return answerFailure(req, res, rule);
      if (onForeignHost) return serveForeign(target, res);
      if (recorded.headers.authorization !== `lucca application=${apiKey}`) {
        return sendError(res, 401);
      }
      route(recorded, target, res);
    } catch (error) {
      sendError(res, 500, error instanceof Error ? error.message : String(error));
    }
  }

  function route(request: RecordedRequest, target: URL, res: ServerResponse) {
    const { method, path } = request;
    if (method === 'POST' && path === '/api/v3/timmiexports/run') return run(request, target, res);
    if (method === 'GET' && path === '/api/v3/timmiexports') return list(target, res);
    const one = /^\/api\/v3\/timmiexports\/(\d+)$/.exec(path);
    if (method === 'GET' && one) return fetchOne(Number(one[1]), target, res);
    const file = FILES_PATH.exec(path);
    if (method === 'GET' && file) return serveFile(Number(file[1]), res);
    sendError(res, 404, `No route for ${method} ${path}`);
  }

  function list(target: URL, res: ServerResponse) {
    const configurationId = Number(target.searchParams.get('configurationId'));
    if (!Number.isInteger(configurationId) || configurationId <= 0) {
      return sendError(res, 400, 'configurationId is required');
    }
    if (!behaviourOf(configurationId).exists) return sendError(res, 404, 'Export configuration not found');
    let items = exports.filter((e) => e.configurationId === configurationId && visible(e));
    if (target.searchParams.get('archivedAt') === 'null') items = items.filter((e) => !e.archived);
    const idFilter = target.searchParams.get('id');
    if (idFilter) {
      const greater = /^greaterthan,(\d+)$/.exec(idFilter);
      if (greater) items = items.filter((e) => e.id > Number(greater[1]));
      else if (/^\d+$/.test(idFilter)) items = items.filter((e) => e.id === Number(idFilter));
      else return sendError(res, 400, `Unsupported id filter ${idFilter}`);
    }
    items = ordered(items, target.searchParams.get('orderBy'));
    const paging = /^(\d+),(\d+)$/.exec(target.searchParams.get('paging') ?? '');
    if (paging) items = items.slice(Number(paging[1]), Number(paging[1]) + Number(paging[2]));
    const fields = parseFields(target.searchParams.get('fields') ?? 'id,name,url');
    sendJson(res, 200, { data: { items: items.map((e) => project(representation(e), fields)) } });
  }

  function fetchOne(id: number, target: URL, res: ServerResponse) {
    const found = exports.find((e) => e.id === id && visible(e));
    if (!found) return sendError(res, 404, `Export ${id} not found`);
    const fields = parseFields(target.searchParams.get('fields') ?? 'id,name,url');
    sendJson(res, 200, { data: project(representation(found), fields) });
  }

  function run(request: RecordedRequest, target: URL, res: ServerResponse) {
    const body = request.body as { endsAt?: unknown; configurationId?: unknown } | undefined;
    if (typeof body !== 'object' || body === null) return sendError(res, 400, 'A JSON body is required');
    if (typeof body.endsAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T00:00:00$/.test(body.endsAt)) {
      return sendError(res, 400, 'endsAt must be a date-time at midnight: YYYY-MM-DDT00:00:00');
    }
    if (typeof body.configurationId !== 'number' || !Number.isInteger(body.configurationId)) {
      return sendError(res, 400, 'configurationId is required');
    }
    const behaviour = behaviourOf(body.configurationId);
    if (!behaviour.exists) return sendError(res, 404, 'Export configuration not found');
    if (behaviour.forbidden) return sendError(res, 403, 'Forbidden');

    // Lucca creates the export now and goes on building it whatever happens to this connection.
    const created = createExport(body.configurationId, body.endsAt.slice(0, 10), behaviour.buildMs);
    const fields = parseFields(target.searchParams.get('fields') ?? 'id');
    const answerDone = () => sendJson(res, 200, { data: project(representation(created), fields) });
    if (isBuilt(created)) return answerDone();

    const holdUntil = Date.now() + behaviour.postHoldMs;
    const timer = setInterval(() => {
      if (isBuilt(created)) {
        stop();
        return answerDone();
      }
      if (Date.now() < holdUntil) return;
      stop();
      if (behaviour.postAnswer === 'export') {
        created.readyAt = clock.now();
        return answerDone();
      }
      if (behaviour.postAnswer === 408) return sendError(res, 408, 'Request Timeout');
      // Gateways answer in HTML, not in Lucca's JSON.
      sendText(res, behaviour.postAnswer, `<html><body>${STATUS_TEXT[behaviour.postAnswer]}</body></html>`);
    }, HOLD_CHECK_MS);
    holds.add(timer);
    const stop = () => {
      clearInterval(timer);
      holds.delete(timer);
    };
    res.on('close', stop);
  }

  function createExport(configurationId: number, endsAt: string, buildMs: number | 'never'): SimExport {
    const now = clock.now();
    const created: SimExport = {
      id: nextId++,
      configurationId,
      endsAt,
      createdAt: now,
      readyAt: buildMs === 'never' ? 'never' : now + buildMs,
      archived: false,
    };
    exports.push(created);
    return created;
  }

  function representation(e: SimExport): Record<string, unknown> {
    const behaviour = behaviourOf(e.configurationId);
    const exportFiles = Array.from({ length: behaviour.files }, (_, i) => {
      const fileId = e.id * FILES_PER_EXPORT + i + 1;
      return {
        id: fileId,
        name: behaviour.fileNames?.[i] ?? `export-${e.id}-${i + 1}.csv`,
        url: fileUrl(fileId, behaviour.fileUrlMode ?? 'relative'),
      };
    });
    return {
      id: e.id,
      name: `Export ${e.endsAt} #${e.id}`,
      url: `${url}/api/v3/timmiexports/${e.id}`,
      createdAt: new Date(e.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      configurationId: e.configurationId,
      startsAt: `${monthBefore(e.endsAt)}T00:00:00`,
      endsAt: `${e.endsAt}T00:00:00`,
      archivedAt: e.archived ? new Date(e.createdAt).toISOString() : null,
      exportFiles,
      entries: entriesFor(e.id, behaviour.entries, e.endsAt),
    };
  }

  function fileUrl(fileId: number, mode: NonNullable<ConfigurationBehaviour['fileUrlMode']>): string {
    const path = `/timmi-exports/files/${fileId}`;
    if (mode === 'absolute') return `${url}${path}`;
    if (mode === 'foreign') return `${foreignBase}${path}?signature=sim-${fileId}`;
    return path;
  }

  /** The "storage host": serves files without the API key (the signed URL is the access). */
  function serveForeign(target: URL, res: ServerResponse) {
    const file = FILES_PATH.exec(target.pathname);
    if (!file) return sendError(res, 404, 'Not found');
    serveFile(Number(file[1]), res);
  }

  function serveFile(fileId: number, res: ServerResponse) {
    const exportId = Math.floor(fileId / FILES_PER_EXPORT);
    const index = (fileId % FILES_PER_EXPORT) - 1;
    const owner = exports.find((e) => e.id === exportId && visible(e));
    if (!owner || index < 0 || index >= behaviourOf(owner.configurationId).files) {
      return sendError(res, 404, `File ${fileId} not found`);
    }
    const total = behaviourOf(owner.configurationId).fileBytes;
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(total),
    });
    streamBytes(res, total);
  }

  function takeFailRule(method: string, rawUrl: string): FailRule | undefined {
    let decoded = rawUrl;
    try {
      decoded = decodeURIComponent(rawUrl);
    } catch {}
    const rule = failRules.find(
      (r) =>
        (!r.match.method || r.match.method.toUpperCase() === method) &&
        (!r.match.pathIncludes ||
          rawUrl.includes(r.match.pathIncludes) ||
          decoded.includes(r.match.pathIncludes)),
    );
    if (!rule) return undefined;
    rule.remaining--;
    if (rule.remaining <= 0) failRules.splice(failRules.indexOf(rule), 1);
    return rule;
  }

  function answerFailure(req: IncomingMessage, res: ServerResponse, rule: FailRule) {
    const { answer } = rule;
    if (answer === 'reset') {
      req.socket.destroy();
      return;
    }
    if (answer === 'malformed') return sendText(res, 200, '{"data":{"items":[{"id":1,', 'application/json');
    if (answer === 'wrong-shape') return sendJson(res, 200, { data: { items: 'none', id: 'none' } });
    const headers: Record<string, string> = { 'content-type': 'application/json', ...answer.headers };
    if (answer.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) {
      headers['retry-after'] = '1';
    }
    res.writeHead(answer.status, headers);
    res.end(answer.body ?? errorBody(answer.status));
  }

  return {
    url,
    apiKey,
    requests,
    configure(configurationId, behaviour) {
      behaviours.set(configurationId, { ...behaviourOf(configurationId), ...behaviour });
    },
    addExport(configurationId, endsAt, addOptions = {}) {
      const added = createExport(configurationId, endsAt, 0);
      added.archived = addOptions.archived ?? false;
      return added.id;
    },
    failNext(match, answer, times = 1) {
      failRules.push({ match, answer, remaining: times });
    },
    posts(configurationId) {
      return requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path === '/api/v3/timmiexports/run' &&
          (configurationId === undefined ||
            (r.body as { configurationId?: unknown } | undefined)?.configurationId === configurationId),
      );
    },
    exportsOf(configurationId) {
      return exports
        .filter((e) => e.configurationId === configurationId)
        .map((e) => ({ id: e.id, endsAt: e.endsAt, readyAt: e.readyAt }));
    },
    async close() {
      for (const timer of holds) clearInterval(timer);
      holds.clear();
      await Promise.all([closeServer(main), closeServer(foreign)]);
    },
  };
}

function ordered(items: SimExport[], orderBy: string | null): SimExport[] {
  const keys: { key: 'id' | 'createdAt'; desc: boolean }[] = [];
  const parts = (orderBy ?? 'id,asc').split(',');
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i]?.trim().toLowerCase() === 'createdat' ? 'createdAt' : 'id';
    keys.push({ key, desc: parts[i + 1]?.trim().toLowerCase() === 'desc' });
  }
  return [...items].sort((a, b) => {
    for (const { key, desc } of keys) {
      const diff = a[key] - b[key];
      if (diff !== 0) return desc ? -diff : diff;
    }
    return 0;
  });
}

/** Writes `total` bytes of the content block, honouring backpressure (files may be hundreds of MB). */
function streamBytes(res: ServerResponse, total: number): void {
  const block = contentBlock();
  let sent = 0;
  const pump = () => {
    while (sent < total) {
      const chunk = block.subarray(0, Math.min(block.length, total - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => res.off('drain', pump));
  pump();
}

function errorBody(status: number, message?: string): string {
  return JSON.stringify({ Status: status, Message: message ?? STATUS_TEXT[status] ?? 'Error' });
}

function sendError(res: ServerResponse, status: number, message?: string): void {
  sendText(res, status, errorBody(status, message), 'application/json');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendText(res: ServerResponse, status: number, text: string, type = 'text/html'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseBody(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function monthBefore(date: string): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(year, month - 2, 1));
  return d.toISOString().slice(0, 10);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Another origin for `fileUrlMode: 'foreign'`: 127.0.0.2 where the loopback answers it (Linux),
 * else another port of the same host (a different origin all the same).
 */
async function listenForeign(server: Server, host: string): Promise<string> {
  try {
    return `http://127.0.0.2:${await listen(server, '127.0.0.2', 0)}`;
  } catch {
    return `http://${host}:${await listen(server, host, 0)}`;
  }
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Held POSTs and keep-alive sockets must not keep close() waiting.
    server.closeAllConnections();
  });
}
