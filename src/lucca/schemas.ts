import { z } from 'zod';
import { parseLuccaAmount } from './amount.js';
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

const exportFile = z.object({
  id: id.nullish(),
  name: text,
  fileName: text,
  url: text,
  href: text,
  downloadUrl: text,
});

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

export const exportDetailSchema = z.object({
  data: z.object({
    id: z.number().int(),
    name: text,
    createdAt: text,
    configurationId: z.number().int().nullish(),
    startsAt: text,
    endsAt: text,
    exportFiles: z.array(exportFile).nullish(),
    entries: z.array(entry).nullish(),
  }),
});

/** Lucca's floating midnight `2026-12-01T00:00:00` → `2026-12-01`; any other value is kept as sent. */
export function normaliseEndsAt(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z?)?$/.exec(value.trim());
  return match ? match[1]! : value;
}

export function toExportRef(item: z.infer<typeof exportRefItem>): ExportRef | null {
  if (!item.endsAt) return null;
  return { id: item.id, createdAt: item.createdAt ?? null, endsAt: normaliseEndsAt(item.endsAt) };
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;
const asText = (value: string | number | null | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

export function toLuccaExport(detail: z.infer<typeof exportDetailSchema>): LuccaExport {
  const data = detail.data;
  return {
    id: data.id,
    name: orNull(data.name),
    createdAt: orNull(data.createdAt),
    configurationId: orNull(data.configurationId),
    startsAt: orNull(data.startsAt),
    endsAt: orNull(data.endsAt),
    exportFiles: (data.exportFiles ?? []).map(toFileRef),
    entries: (data.entries ?? []).map(toEntry),
  };
}

function toFileRef(file: z.infer<typeof exportFile>): ExportFileRef {
  return {
    id: orNull(file.id),
    name: file.name ?? file.fileName ?? null,
    url: file.url ?? file.href ?? file.downloadUrl ?? null,
  };
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
