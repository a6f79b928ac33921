import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../src/util/clock.js';
import { type AnswerShapes, DEFAULT_SHAPES, entriesFor, exportFileChunks } from './content.js';
import {
  type FieldTree,
  parseFields,
  project,
  propertyOf,
  SelectionError,
  type TypeModel,
  validateFields,
} from './fields.js';

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
  /**
   * Files are built from the export's entries (content.ts). Set, each file is padded with repeated
   * rows to at least this many bytes (benchmarks of large files); it then no longer agrees with the entries.
   */
  fileBytes?: number;
  entries: number;
  /**
   * Lucca cuts requests running over about 5 s with a 408 (FACTS.md, API limits page): a fetch that
   * selects `entries` of an export with more entries than this gets a 408 instead of an answer.
   */
  entriesCutAbove?: number;
  /** The forms of the answers where Lucca's documentation is silent (content.ts). */
  shapes?: Partial<AnswerShapes>;
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
/** Lucca's default page when a list request says no `paging`, and its largest (RddOptions.cs). */
const DEFAULT_PAGE = 10;
const MAX_PAGE = 1000;
/** Query parameters RestDrivenDomain does not read as filters (Reserved.cs); every other one is a filter. */
const RESERVED = new Set(
  [
    '_',
    'randomnumber',
    'authToken',
    'callback',
    'fields',
    'groupby',
    'httpmethod',
    'longtoken',
    'metadata',
    'notify',
    'accept',
    'orderby',
    'paging',
    'template',
  ].map((name) => name.toLowerCase()),
);
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

  /**
   * Each query parameter is read the way RestDrivenDomain's QueryParser does: `fields`, `orderBy` and
   * `paging` (names case-insensitive), everything else a filter on a property of the export; a name that
   * is no property, or a value in the wrong form, is a 400 with Lucca's message.
   */
  function list(target: URL, res: ServerResponse) {
    const query = readListQuery(target.searchParams);
    if (typeof query === 'string') return sendError(res, 400, query);
    const { configurationId } = query;
    if (configurationId === undefined) return sendError(res, 400, 'configurationId is required');
    if (!behaviourOf(configurationId).exists) return sendError(res, 404, 'Export configuration not found');
    let items = exports.filter((e) => e.configurationId === configurationId && visible(e));
    if (query.archivedNull) items = items.filter((e) => !e.archived);
    if (query.idAbove !== undefined) items = items.filter((e) => e.id > query.idAbove!);
    if (query.idIs !== undefined) items = items.filter((e) => e.id === query.idIs);
    items = ordered(items, query.orderBy);
    items = items.slice(query.offset, query.offset + query.limit);
    const fields = selection(target.searchParams, 'id,name,url', exportType(configurationId));
    if (fields instanceof SelectionError) return sendError(res, 400, fields.message);
    sendJson(res, 200, {
      data: { items: items.map((e) => project(representation(e, 'list'), fields)) },
    });
  }

  function fetchOne(id: number, target: URL, res: ServerResponse) {
    const found = exports.find((e) => e.id === id && visible(e));
    if (!found) return sendError(res, 404, `Export ${id} not found`);
    const fields = selection(target.searchParams, 'id,name,url', exportType(found.configurationId));
    if (fields instanceof SelectionError) return sendError(res, 400, fields.message);
    const behaviour = behaviourOf(found.configurationId);
    if (
      fields.entries &&
      behaviour.entriesCutAbove !== undefined &&
      behaviour.entries > behaviour.entriesCutAbove
    ) {
      return sendError(res, 408, 'Request Timeout');
    }
    sendJson(res, 200, { data: project(representation(found, 'detail'), fields) });
  }

  /** The `fields` parameter (any case), validated against `type`; its default when absent. */
  function selection(params: URLSearchParams, fallback: string, type: TypeModel): FieldTree | SelectionError {
    const text = [...params].find(([key]) => key.toLowerCase() === 'fields')?.[1] ?? fallback;
    try {
      return validateFields(parseFields(text), type);
    } catch (error) {
      if (error instanceof SelectionError) return error;
      throw error;
    }
  }

  /** The export type; the properties of its files are whatever the configured shape gives them. */
  function exportType(configurationId: number): TypeModel {
    const shapes = shapesOf(configurationId);
    const sample = fileItem(1, 0, behaviourOf(configurationId), shapes);
    const fileType: TypeModel | 'value' =
      typeof sample === 'string'
        ? 'value'
        : {
            name: 'TimmiExportFile',
            properties: Object.fromEntries(Object.keys(sample).map((key) => [key, 'value' as const])),
          };
    return {
      ...EXPORT_TYPE,
      properties: { ...EXPORT_TYPE.properties, exportFiles: fileType as TypeModel },
    };
  }

  function shapesOf(configurationId: number): AnswerShapes {
    return { ...DEFAULT_SHAPES, ...behaviourOf(configurationId).shapes };
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

    const fields = selection(target.searchParams, 'id', exportType(body.configurationId));
    if (fields instanceof SelectionError) return sendError(res, 400, fields.message);
    // Lucca creates the export now and goes on building it whatever happens to this connection.
    const created = createExport(body.configurationId, body.endsAt.slice(0, 10), behaviour.buildMs);
    const answerDone = () => sendJson(res, 200, { data: project(representation(created, 'detail'), fields) });
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

  /** One file of `exportFiles`, in the configured shape. */
  function fileItem(
    exportId: number,
    index: number,
    behaviour: ConfigurationBehaviour,
    shapes: AnswerShapes,
  ): Record<string, unknown> | string {
    const fileId = exportId * FILES_PER_EXPORT + index + 1;
    const name = behaviour.fileNames?.[index] ?? `export-${exportId}-${index + 1}.csv`;
    const link = fileUrl(fileId, behaviour.fileUrlMode ?? 'relative');
    switch (shapes.exportFiles) {
      case 'href':
        return { id: fileId, fileName: name, href: new URL(link, url).toString() };
      case 'path':
        return { id: fileId, name, path: link };
      case 'id-only':
        return { id: fileId, name };
      case 'strings':
        return link;
      default:
        return { id: fileId, name, url: link };
    }
  }

  function representation(e: SimExport, where: 'list' | 'detail'): Record<string, unknown> {
    const behaviour = behaviourOf(e.configurationId);
    const shapes = shapesOf(e.configurationId);
    const exportFiles = Array.from({ length: behaviour.files }, (_, i) =>
      fileItem(e.id, i, behaviour, shapes),
    );
    const endsAt = where === 'list' ? listEndsAt(e.endsAt, shapes) : `${e.endsAt}T00:00:00`;
    return {
      id: e.id,
      name: `Export ${e.endsAt} #${e.id}`,
      url: `${url}/api/v3/timmiexports/${e.id}`,
      createdAt: new Date(e.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      configurationId: e.configurationId,
      startsAt: `${monthBefore(e.endsAt)}T00:00:00`,
      ...(endsAt === undefined ? {} : { endsAt }),
      archivedAt: e.archived ? new Date(e.createdAt).toISOString() : null,
      exportFiles,
      // Built only when selected: 200 000 entries are not made for a poll.
      get entries() {
        return entriesFor(e.id, behaviour.entries, e.endsAt, shapes);
      },
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
    const behaviour = behaviourOf(owner.configurationId);
    // Chunked, like a file generated on the fly: no Content-Length.
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    streamChunks(res, exportFileChunks(behaviour.entries, behaviour.files, index, behaviour.fileBytes));
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

/** The export type of Lucca's model, with the properties the guide's field list names (and `url`, `archivedAt`). */
const VALUE = 'value' as const;
const EXPORT_TYPE: TypeModel = {
  name: 'TimmiExport',
  properties: {
    id: VALUE,
    name: VALUE,
    url: VALUE,
    createdAt: VALUE,
    configurationId: VALUE,
    startsAt: VALUE,
    endsAt: VALUE,
    archivedAt: VALUE,
    exportFiles: VALUE, // replaced per configuration: the file type depends on the shape
    entries: {
      name: 'TimmiExportEntry',
      properties: {
        id: VALUE,
        name: VALUE,
        amount: VALUE,
        amountUnit: VALUE,
        externalCode: VALUE,
        endsAt: VALUE,
        owner: {
          name: 'User',
          properties: { id: VALUE, name: VALUE, url: VALUE, lastName: VALUE, firstName: VALUE },
        },
        timeType: { name: 'TimeType', properties: { id: VALUE, name: VALUE, payTreatment: VALUE } },
        axisSections: {
          name: 'AxisSection',
          properties: {
            id: VALUE,
            name: VALUE,
            code: VALUE,
            axisId: VALUE,
            active: VALUE,
            startOn: VALUE,
            endOn: VALUE,
          },
        },
      },
    },
  },
};

interface ListQuery {
  configurationId?: number;
  archivedNull: boolean;
  idAbove?: number;
  idIs?: number;
  orderBy: { key: 'id' | 'createdAt'; desc: boolean }[];
  offset: number;
  limit: number;
}

/**
 * A list request's parameters, or the 400 message Lucca would give. Paging as PagingParser
 * (WebPageParser.cs): `offset,limit` or `1`, default 0,10, limit at most 1000; orderBy as
 * OrderByParser.cs: pairs of property and asc|desc; filters as FilterParser.cs: an operand
 * (`greaterthan`…) or a plain value, on a property of the export.
 */
function readListQuery(params: URLSearchParams): ListQuery | string {
  const query: ListQuery = { archivedNull: false, orderBy: [], offset: 0, limit: DEFAULT_PAGE };
  for (const [key, value] of params) {
    const lower = key.toLowerCase();
    if (lower === 'paging') {
      if (value === '1') continue;
      const paging = /^(-?\d+),(-?\d+)$/.exec(value);
      if (!paging) return `${value} does not respect limit=start,count format`;
      query.offset = Number(paging[1]);
      query.limit = Number(paging[2]);
      if (query.offset < 0 || query.limit < 0 || query.limit > MAX_PAGE) {
        return `Paging limit must be between 0 and ${MAX_PAGE}`;
      }
    } else if (lower === 'orderby') {
      const parts = value.split(',');
      if (parts.length % 2 !== 0) return 'Order by query parameter is invalid';
      for (let i = 0; i < parts.length; i += 2) {
        const property = propertyOf(EXPORT_TYPE, parts[i]!.trim());
        const direction = parts[i + 1]!.trim().toLowerCase();
        if (!property) return `Selected property ${parts[i]} does not exist on objet of type TimmiExport`;
        if (direction !== 'asc' && direction !== 'desc') return 'Order by query parameter is invalid';
        if (property !== 'id' && property !== 'createdAt') return `Simulator: cannot order by ${property}`;
        query.orderBy.push({ key: property, desc: direction === 'desc' });
      }
    } else if (!RESERVED.has(lower)) {
      const property = propertyOf(EXPORT_TYPE, key);
      if (!property) return `Selected property ${key} does not exist on objet of type TimmiExport`;
      const error = readFilter(query, property, value);
      if (error) return error;
    }
  }
  return query;
}

function readFilter(query: ListQuery, property: string, value: string): string | undefined {
  const whole = /^\d+$/;
  if (property === 'configurationId' && whole.test(value)) query.configurationId = Number(value);
  else if (property === 'archivedAt' && value.toLowerCase() === 'null') query.archivedNull = true;
  else if (property === 'id' && whole.test(value)) query.idIs = Number(value);
  else if (property === 'id' && /^greaterthan,\d+$/i.test(value)) query.idAbove = Number(value.split(',')[1]);
  else if (property === 'configurationId' || property === 'id') return 'Query parameter is invalid';
  else return `Simulator: filter on ${property}=${value} is not supported`;
  return undefined;
}

/** `endsAt` of a list item in the configured form (AnswerShapes.listEndsAt). */
function listEndsAt(date: string, shapes: AnswerShapes): string | undefined {
  switch (shapes.listEndsAt) {
    case 'absent':
      return undefined;
    case 'offset':
      return `${date}T00:00:00+01:00`;
    case 'day-before': {
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      return `${new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10)}T23:59:59`;
    }
    default:
      return `${date}T00:00:00`;
  }
}

function ordered(items: SimExport[], keys: ListQuery['orderBy']): SimExport[] {
  return [...items].sort((a, b) => {
    for (const { key, desc } of keys.length ? keys : [{ key: 'id' as const, desc: false }]) {
      const diff = a[key] - b[key];
      if (diff !== 0) return desc ? -diff : diff;
    }
    return 0;
  });
}

/** Writes the pieces as they come, honouring backpressure (files may be hundreds of MB). */
function streamChunks(res: ServerResponse, chunks: Iterator<Buffer>): void {
  const pump = () => {
    for (let next = chunks.next(); !next.done; next = chunks.next()) {
      if (!res.write(next.value)) {
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
