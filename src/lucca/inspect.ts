import { EXPORT_ENTRIES_FIELDS, EXPORT_HEADER_FIELDS } from './client-fields.js';
import { LuccaError } from './errors.js';
import { normaliseEndsAt, toFileRef } from './schemas.js';
import type { LuccaTransport } from './transport.js';

/**
 * What the newest export of a configuration looks like on this tenant, read with the requests the app
 * makes (the guide's field lists), for `doctor --lucca`. Only forms and key names are kept, never a
 * value (they are payroll data).
 */
export interface ExportShapes {
  configurationId: number;
  /** null: the configuration has no export yet, nothing more could be read. */
  exportId: number | null;
  list: {
    /** The list refused `endsAt` in `fields` (400): the app then polls with `id,createdAt`. */
    endsAtRefused: boolean;
    /** `midnight`, `absent`, `offset` (midnight with Z or an offset), `day-before` (23:59:59), `other`. */
    endsAtForm: EndsAtForm | null;
  };
  header: { error?: string; fileCount: number; fileKeys: string[]; usableLinks: number; linkKinds: string[] };
  entries: {
    error?: string;
    /** HTTP 408 or a timeout: Lucca cut the answer (a large export). */
    cut: boolean;
    count: number;
    amountForms: string[];
    /** Units beside amounts that are not timespans (a timespan is hours whatever its unit says). */
    units: string[];
    /** Units beside timespans, for the record. */
    timespanUnits: string[];
  };
}

export type EndsAtForm = 'midnight' | 'absent' | 'offset' | 'day-before' | 'other';

const EXPORTS = 'api/v3/timmiexports';

export async function inspectExportShapes(
  transport: LuccaTransport,
  configurationId: number,
): Promise<ExportShapes> {
  const shapes: ExportShapes = {
    configurationId,
    exportId: null,
    list: { endsAtRefused: false, endsAtForm: null },
    header: { fileCount: 0, fileKeys: [], usableLinks: 0, linkKinds: [] },
    entries: { cut: false, count: 0, amountForms: [], units: [], timespanUnits: [] },
  };
  const newest = (fields: string) =>
    transport.getJson(
      transport.apiUrl(EXPORTS, {
        configurationId,
        orderBy: 'createdAt,desc,id,desc',
        archivedAt: 'null',
        paging: '0,1',
        fields,
      }),
      { configurationId },
      undefined,
      1,
    );

  // The list as the poll reads it; refusals of the whole request (key, configuration) are the caller's.
  let list: unknown;
  try {
    list = await newest('id,createdAt,endsAt');
  } catch (error) {
    if (!(error instanceof LuccaError) || !/selected property endsat/i.test(error.message)) throw error;
    shapes.list.endsAtRefused = true;
    list = await newest('id,createdAt');
  }
  const item = itemsOf(list)[0];
  if (!item || typeof item.id !== 'number') return shapes;
  shapes.exportId = item.id;
  if (!shapes.list.endsAtRefused) shapes.list.endsAtForm = endsAtFormOf(item.endsAt);

  const detail = (fields: string) =>
    transport.getJson(
      transport.apiUrl(`${EXPORTS}/${item.id}`, { fields }),
      { exportId: item.id as number },
      undefined,
      1,
    );
  try {
    const files = dataOf(await detail(EXPORT_HEADER_FIELDS)).exportFiles;
    const refs = (Array.isArray(files) ? files : []).map(toFileRef);
    shapes.header.fileCount = refs.length;
    shapes.header.fileKeys = [...new Set(refs.flatMap((ref) => ref.keys ?? []))];
    shapes.header.usableLinks = refs.filter((ref) => ref.url).length;
    shapes.header.linkKinds = [...new Set(refs.map((ref) => linkKind(transport, ref.url)))];
  } catch (error) {
    shapes.header.error = describe(error);
  }
  try {
    const entries = dataOf(await detail(`id,${EXPORT_ENTRIES_FIELDS}`)).entries;
    const list = Array.isArray(entries) ? (entries as Record<string, unknown>[]) : [];
    shapes.entries.count = list.length;
    const forms = list.map((e) => amountFormOf(e?.amount));
    shapes.entries.amountForms = [...new Set(forms)];
    const unitsWhere = (timespan: boolean) => [
      ...new Set(
        list.filter((_, i) => (forms[i] === 'timespan') === timespan).map((e) => unitText(e?.amountUnit)),
      ),
    ];
    shapes.entries.units = unitsWhere(false).slice(0, 8);
    shapes.entries.timespanUnits = unitsWhere(true).slice(0, 8);
  } catch (error) {
    shapes.entries.error = describe(error);
    shapes.entries.cut =
      error instanceof LuccaError && (error.httpStatus === 408 || /ETIMEDOUT|timeout/i.test(error.message));
  }
  return shapes;
}

function dataOf(answer: unknown): Record<string, unknown> {
  const data = (answer as { data?: unknown } | null)?.data;
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
}

function itemsOf(answer: unknown): Record<string, unknown>[] {
  const items = dataOf(answer).items;
  return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
}

export function endsAtFormOf(value: unknown): EndsAtForm {
  if (value === undefined || value === null) return 'absent';
  if (typeof value !== 'string' || normaliseEndsAt(value) === null) return 'other';
  if (/T23:59:59/.test(value)) return 'day-before';
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) return 'offset';
  return 'midnight';
}

function amountFormOf(value: unknown): string {
  if (value === undefined || value === null) return 'absent';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string' && /^-?(\d+\.)?\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim())) {
    return 'timespan';
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return 'number as text';
  return `other (${typeof value})`;
}

/** A unit is a name or a code, not payroll data: shown as sent, shortened. */
function unitText(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 24 ? `${text.slice(0, 23)}…` : text;
}

function linkKind(transport: LuccaTransport, url: string | null): string {
  if (!url) return 'none';
  if (url.startsWith('/')) return 'path on the Lucca host';
  try {
    return transport.isLucca(new URL(url)) ? 'URL on the Lucca host' : 'URL on another host';
  } catch {
    return 'none';
  }
}

function describe(error: unknown): string {
  if (error instanceof LuccaError) {
    return `${error.httpStatus ? `HTTP ${error.httpStatus}: ` : ''}${error.message}`.slice(0, 300);
  }
  return 'the request failed';
}
