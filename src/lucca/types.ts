import type { ExportShapes } from './inspect.js';

/**
 * What the rest of the app needs from Lucca (DESIGN §1). The got-based client implements it;
 * the engine depends only on this interface, so its tests can also use a hand-made fake.
 */
export interface LuccaApi {
  /** Newest existing (non-archived) export id of the configuration; 0 when there is none. */
  latestExportId(configurationId: number, options?: RequestOptions): Promise<number>;

  /**
   * POSTs /timmiexports/run once (never retried). Holds the request at most `timeoutMs`.
   * `done`: Lucca answered 2xx with the new export's id. `pending`: timeout, reset, 408, 502, 504 (and
   * other answers that leave it unknown whether Lucca started the export): go and poll.
   * Throws LuccaError for answers that say the export was refused (401, 403, 404, 400, 429).
   */
  triggerExport(request: TriggerRequest): Promise<TriggerResult>;

  /**
   * An export newer than `baselineId` whose endsAt is ours (others' exports are ignored), or null.
   * Where Lucca's list gives no end date the app can read, the first export created after
   * `createdAfter` (our POST) is taken instead, and `matchedBy` says so.
   */
  findExport(
    configurationId: number,
    baselineId: number,
    endsAt: string,
    createdAfter?: number,
    options?: RequestOptions,
  ): Promise<FoundExport | null>;

  /** The export's header and files, without its entries (a large export's entries are slow to read). */
  getExport(exportId: number, options?: RequestOptions): Promise<LuccaExport>;

  /** The export's entries: for the summary, and for the CSV when no file can be had. */
  getExportEntries(exportId: number, options?: RequestOptions): Promise<ExportEntry[]>;

  /** For `doctor --lucca`: the forms of the newest export's answers (lucca/inspect.ts). */
  inspectExportShapes?(configurationId: number): Promise<ExportShapes>;

  /**
   * Streams one export file to `destinationPath` (written to a temporary name, then renamed).
   * Relative URLs are resolved against the Lucca host; the API key is only ever sent to that host.
   */
  downloadFile(
    url: string,
    destinationPath: string,
    options?: RequestOptions & { maxBytes?: number },
  ): Promise<{ bytes: number }>;
}

/** `signal`: the run's; aborting it (Cancel, the app stopping) stops the request and its retries at once. */
export interface RequestOptions {
  signal?: AbortSignal;
}

export interface TriggerRequest {
  configurationId: number;
  /** `YYYY-MM-DD`: sent as `YYYY-MM-DDT00:00:00`. */
  endsAt: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type TriggerResult =
  | { status: 'done'; exportId: number }
  | { status: 'pending'; reason: 'timeout' | 'reset' | 'gateway' | 'unknown'; httpStatus?: number };

export interface ExportRef {
  id: number;
  createdAt: string | null;
  /** `YYYY-MM-DD` when Lucca's endsAt is in a form the app reads (normaliseEndsAt), else null. */
  endsAt: string | null;
  /** endsAt as Lucca sent it (null: not in the item). */
  rawEndsAt?: string | null;
}

/** How an export was recognised as ours: by its end date, or (no readable end date) by id and time. */
export type ExportMatch = 'endsAt' | 'id-and-time';

export interface FoundExport extends ExportRef {
  matchedBy: ExportMatch;
}

export interface LuccaExport {
  id: number;
  name: string | null;
  createdAt: string | null;
  configurationId: number | null;
  startsAt: string | null;
  endsAt: string | null;
  exportFiles: ExportFileRef[];
}

/** The shape of exportFiles is not documented publicly: every field is optional. */
export interface ExportFileRef {
  id: number | string | null;
  name: string | null;
  /** A URL or a path on the Lucca host; null when the item carries no link the app can use. */
  url: string | null;
  /** The item's keys as Lucca sent them (for the log and the doctor; never the values). */
  keys?: string[];
}

export interface ExportEntry {
  id: number | string | null;
  name: string | null;
  /** Hours or days as a number; Lucca timespans (`d.hh:mm:ss`) are converted to hours. */
  amount: number | null;
  /** The amount as Lucca sent it, for the CSV. */
  rawAmount: string | null;
  amountUnit: string | null;
  externalCode: string | null;
  endsAt: string | null;
  owner: { id: number | string | null; lastName: string | null; firstName: string | null } | null;
  timeType: { id: number | string | null; name: string | null; payTreatment: string | null } | null;
  axisSections: { id: number | string | null; name: string | null; code: string | null }[];
}
