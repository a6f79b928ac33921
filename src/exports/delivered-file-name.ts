import { addDays, parseIsoDate } from '../calendar/end-date.js';
import { sanitizeFileName } from './file-names.js';

/** What a delivered file holds: which configuration, up to which date. */
export interface FileNameContext {
  configurationId: number;
  /** The alias people know the configuration by (`payroll`), if it has one. */
  configurationLabel: string | null;
  /** `YYYY-MM-DD`: everything before it is exported. */
  endsAt: string;
}

/**
 * `payroll-2026-11` for an export up to 1 Dec 2026 (the month it holds); `payroll-until-2026-12-06`
 * for one up to another day (the last day it holds); `configuration-3-…` when there is no alias.
 * The name a payroll manager recognises in Slack and in a Downloads folder among other months.
 */
export function exportBaseName(context: FileNameContext): string {
  const label = (context.configurationLabel ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-');
  const who = /[a-z0-9]/.test(label) ? label : `configuration-${context.configurationId}`;
  const end = parseIsoDate(context.endsAt);
  if (!end) return who;
  if (end.day === 1) {
    const year = end.month === 1 ? end.year - 1 : end.year;
    const month = end.month === 1 ? 12 : end.month - 1;
    return `${who}-${year}-${String(month).padStart(2, '0')}`;
  }
  return `${who}-until-${addDays(context.endsAt, -1)}`;
}

/**
 * The name of a file Lucca hands over: ours first (configuration and period, so that two months
 * never look alike), then Lucca's own name, sanitised, so the file stays recognisable next to Lucca's
 * UI: `payroll-2026-11_Paie Lyon.xlsx`. Lucca's name alone when it already starts with ours; ours
 * alone (numbered from the second file) when Lucca gives none, without an extension since the
 * format is then unknown. Uniqueness within the run is the caller's (`uniqueFileName`).
 */
export function luccaFileName(
  context: FileNameContext,
  luccaName: string | null | undefined,
  index: number,
): string {
  const base = exportBaseName(context);
  const fallback = index === 0 ? base : `${base}-${index + 1}`;
  const theirs = sanitizeFileName(luccaName, fallback);
  if (theirs === fallback) return fallback;
  if (theirs.toLowerCase().startsWith(base.toLowerCase())) return theirs;
  return sanitizeFileName(`${base}_${theirs}`, fallback);
}

/** The name of the CSV the app renders from the entries when Lucca gives no file: `payroll-2026-11.csv`. */
export function renderedCsvName(context: FileNameContext): string {
  return `${exportBaseName(context)}.csv`;
}
