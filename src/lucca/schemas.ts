import { z } from 'zod';
import { parseLuccaAmount } from './amount.js';
import { badResponseError } from './errors.js';
import type { ExportEntry, ExportFileRef, ExportRef, LuccaExport } from './types.js';

/*
 * Lucca's legacy v3 answers, wrapped as `{"data":{"items":[...]}}` or `{"data":{...}}` (DESIGN §1).
 * Objects strip unknown keys rather than rejecting them, and every field we do not strictly need is
 * optional: Lucca adds fields, and the shape of `exportFiles` is not documented publicly.
 */

const id = z.union([z.number(), z.string()]);
const text = z.string().nullish();
const amountUnit = z.union([z.string(), z.number()]).nullish();

const exportRefItem = z.object({
  id: z.number().int(),
  createdAt: text,
  endsAt: text,
});

export const exportListSchema = z.object({ data: z.object({ items: z.array(exportRefItem) }) });

export const createdExportSchema = z.object({ data: z.object({ id: z.number().int() }) });

const entry = z.object({
  id: id.nullish(),
  name: text,
  amount: z.union([z.number(), z.string()]).nullish(),
  amountUnit,
  externalCode: text,
  endsAt: text,
  owner: z.object({ id: id.nullish(), lastName: text, firstName: text }).nullish(),
  timeType: z
    .object({ id: id.nullish(), name: text, payTreatment: z.union([z.string(), z.number()]).nullish() })
    .nullish(),
  axisSections: z.array(z.object({ id: id.nullish(), name: text, code: text })).nullish(),
});

/**
 * The export's header and files (the guide's field list without `entries`). The items of
 * `exportFiles` are not documented publicly (FACTS.md): anything is accepted here, and toFileRef looks
 * for a link in whatever keys they carry.
 */
export const exportHeaderSchema = z.object({
  data: z.object({
    id: z.number().int(),
    name: text,
    createdAt: text,
    configurationId: z.number().int().nullish(),
    startsAt: text,
    endsAt: text,
    exportFiles: z.array(z.unknown()).nullish(),
  }),
});

/** The entries answer: checked as a whole loosely, then entry by entry (toExportEntries). */
export const exportEntriesSchema = z.object({
  data: z.object({ entries: z.array(z.unknown()).nullish() }),
});

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * The export's end date as `YYYY-MM-DD`, or null when the value is in no form we can read safely.
 * The guide sends midnight (`2026-12-01T00:00:00`, floating); an offset or `Z` after midnight is the
 * same day; one second before midnight (`2026-11-30T23:59:59`, an inclusive end) is the next day.
 */
export function normaliseEndsAt(value: string): string | null {
  const match = DATE_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hours = '00', minutes = '00', seconds = '00', fraction = ''] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) return null;
  const time = `${hours}:${minutes}:${seconds}`;
  if (time === '00:00:00' && /^0*$/.test(fraction)) return `${year}-${month}-${day}`;
  if (time === '23:59:59') {
    date.setUTCDate(date.getUTCDate() + 1);
    return date.toISOString().slice(0, 10);
  }
  return null;
}

export function toExportRef(item: z.infer<typeof exportRefItem>): ExportRef {
  return {
    id: item.id,
    createdAt: item.createdAt ?? null,
    endsAt: item.endsAt ? normaliseEndsAt(item.endsAt) : null,
    rawEndsAt: item.endsAt ?? null,
  };
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const asText = (value: string | number | null | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

export function toLuccaExport(detail: z.infer<typeof exportHeaderSchema>): LuccaExport {
  const data = detail.data;
  return {
    id: data.id,
    name: orNull(data.name),
    createdAt: orNull(data.createdAt),
    configurationId: orNull(data.configurationId),
    startsAt: orNull(data.startsAt),
    endsAt: orNull(data.endsAt),
    exportFiles: (data.exportFiles ?? []).map(toFileRef),
  };
}

/**
 * Entry by entry, dropping each raw item once read: 200 000 entries are held once (as ExportEntry),
 * not three times over (raw JSON, validated copy, mapped copy). An entry in no readable form is a
 * bad answer, named by its position only (its values are payroll data).
 */
export function toExportEntries(answer: z.infer<typeof exportEntriesSchema>): ExportEntry[] {
  const raw = answer.data.entries ?? [];
  const out: ExportEntry[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = toEntryItem(raw[i], i);
    raw[i] = undefined;
  }
  return out;
}

/** One raw entry (the `index`-th) as an ExportEntry; a bad answer, named by position, if unreadable. */
export function toEntryItem(value: unknown, index: number): ExportEntry {
  const parsed = entry.safeParse(value);
  if (!parsed.success) throw badResponseError(`entries.${index}: ${describeIssues(parsed.error)}`);
  return toEntry(parsed.data);
}

/** Keys under which a file's link, name and id are looked for, most likely first (case-insensitive). */
const LINK_KEYS = [
  'url',
  'href',
  'downloadurl',
  'downloadlink',
  'fileurl',
  'link',
  'uri',
  'path',
  'location',
];
const NAME_KEYS = ['name', 'filename', 'title', 'label'];
const ID_KEYS = ['id', 'fileid'];

/** A link we can download: an absolute http(s) URL or a path on the Lucca host. */
function isLink(value: unknown): value is string {
  return typeof value === 'string' && /^(https?:\/\/[^\s]+|\/[^\s/][^\s]*)$/i.test(value.trim());
}

/** Under a link key, a relative path without a leading slash (`exports/12/file.csv`) counts too. */
function isRelativeLink(value: unknown): value is string {
  return isLink(value) || (typeof value === 'string' && /^[\w.-][^\s:]*$/.test(value.trim()));
}

/**
 * One item of `exportFiles`, whatever its shape (undocumented): a bare URL string, or an object whose
 * link is under one of LINK_KEYS, or else any value that is a URL or a path. `keys` records the item's
 * keys for the doctor and the log (never the values).
 */
export function toFileRef(item: unknown): ExportFileRef {
  if (isLink(item)) return { id: null, name: null, url: item.trim(), keys: ['(a URL string)'] };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { id: null, name: null, url: null, keys: [`(${Array.isArray(item) ? 'array' : typeof item})`] };
  }
  const record = item as Record<string, unknown>;
  const byKey = new Map(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
  const first = (keys: readonly string[], accept: (v: unknown) => boolean) =>
    keys.map((k) => byKey.get(k)).find(accept);
  const url =
    (first(LINK_KEYS, isRelativeLink) as string | undefined) ?? Object.values(record).find(isLink) ?? null;
  const name = first(NAME_KEYS, (v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const fileId = first(ID_KEYS, (v) => typeof v === 'number' || typeof v === 'string') as
    | number
    | string
    | undefined;
  return { id: fileId ?? null, name: name ?? null, url: url ? url.trim() : null, keys: Object.keys(record) };
}

function toEntry(e: z.infer<typeof entry>): ExportEntry {
  return {
    id: orNull(e.id),
    name: orNull(e.name),
    amount: parseLuccaAmount(e.amount),
    rawAmount: asText(e.amount),
    amountUnit: asText(e.amountUnit),
    externalCode: orNull(e.externalCode),
    endsAt: orNull(e.endsAt),
    owner: e.owner
      ? { id: orNull(e.owner.id), lastName: orNull(e.owner.lastName), firstName: orNull(e.owner.firstName) }
      : null,
    timeType: e.timeType
      ? {
          id: orNull(e.timeType.id),
          name: orNull(e.timeType.name),
          payTreatment: asText(e.timeType.payTreatment),
        }
      : null,
    axisSections: (e.axisSections ?? []).map((s) => ({
      id: orNull(s.id),
      name: orNull(s.name),
      code: orNull(s.code),
    })),
  };
}

/** Where a response failed validation, without echoing the values (they may be payroll data). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
}
