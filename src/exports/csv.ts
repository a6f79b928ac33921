import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Catalogs, Language } from '../i18n/language.js';
import { unitWord } from '../i18n/quantities.js';
import type { ExportEntry } from '../lucca/types.js';
import { csvCell } from './csv-cell.js';
import { amountUnitOf } from './units.js';

export interface CsvOptions {
  /** APP_LANGUAGE: the column headers' and unit words' language. English by default. */
  language?: Language;
  /** `;` by default: what Excel expects in the French locale payroll teams use. */
  delimiter?: string;
  /**
   * `,` by default in both languages, matching the `;` delimiter's locale (French Excel) so amounts
   * open as numbers; the headers follow `language`.
   */
  decimalSeparator?: string;
}

const en = {
  columns: [
    'Last name',
    'First name',
    'Employee id',
    'Time type',
    'Pay treatment',
    'Amount',
    'Unit',
    'Raw amount',
    'Ends at',
    'External code',
    'Axis sections',
  ] as const,
};

/** The headers, in each language; the same columns in the same order. */
export const CSV_HEADERS: Catalogs<{ columns: readonly string[] & { length: typeof en.columns.length } }> = {
  en,
  fr: {
    columns: [
      'Nom',
      'Prénom',
      'Matricule',
      'Type de temps',
      'Traitement en paie',
      'Quantité',
      'Unité',
      'Quantité brute',
      'Date de fin',
      'Code externe',
      'Sections analytiques',
    ],
  },
};

/** The English headers (the default). */
export const CSV_COLUMNS = en.columns;

// UTF-8 byte-order mark: without it Excel reads the file as Windows-1252 and breaks every accent.
const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * The export's entries as a CSV (RFC 4180: CRLF line ends, fields quoted when they hold the
 * delimiter, a quote or a line break, quotes doubled), UTF-8 with a BOM. Used when Lucca's export has
 * no file the app could download.
 */
export function renderEntriesCsv(entries: readonly ExportEntry[], options: CsvOptions = {}): string {
  return [...entriesCsvChunks(entries, options)].join('');
}

/**
 * Writes the same CSV as renderEntriesCsv to `destination`, a few hundred rows at a time: rendering
 * 200 000 entries as one string held every cell, every line and the text at once (bench/memory.ts
 * measured +160 MB of RSS over the entries themselves); streamed, memory stays flat in the entry count.
 * Returns the bytes written.
 */
export async function writeEntriesCsv(
  entries: readonly ExportEntry[],
  destination: string,
  options: CsvOptions & { mode?: number } = {},
): Promise<number> {
  const out = createWriteStream(destination, { mode: options.mode ?? 0o600 });
  await pipeline(Readable.from(entriesCsvChunks(entries, options)), out);
  return out.bytesWritten;
}

const ROWS_PER_CHUNK = 500;

/** The CSV text in pieces: BOM and header, then ROWS_PER_CHUNK rows per piece, every line ending in CRLF. */
export function* entriesCsvChunks(
  entries: readonly ExportEntry[],
  options: CsvOptions = {},
): Generator<string> {
  const delimiter = options.delimiter ?? ';';
  const decimal = options.decimalSeparator ?? ',';
  const language = options.language ?? 'en';
  yield BOM + CSV_HEADERS[language].columns.map((c) => quote(c, delimiter)).join(delimiter) + CRLF;
  let rows: string[] = [];
  for (const entry of entries) {
    rows.push(csvRow(entry, delimiter, decimal, language));
    if (rows.length >= ROWS_PER_CHUNK) {
      yield rows.join(CRLF) + CRLF;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows.join(CRLF) + CRLF;
}

function csvRow(entry: ExportEntry, delimiter: string, decimal: string, language: Language): string {
  const cells = [
    raw(entry.owner?.lastName),
    raw(entry.owner?.firstName),
    raw(entry.owner?.id),
    raw(entry.timeType?.name),
    raw(entry.timeType?.payTreatment),
    entry.amount === null ? '' : formatNumber(entry.amount, decimal),
    // In words, as in the thread's summary: a timespan's amount is in hours whatever Lucca's unit says.
    raw(unitWord(amountUnitOf(entry), entry.amount ?? 0, language)),
    raw(entry.rawAmount),
    raw(entry.endsAt),
    raw(entry.externalCode),
    raw(
      entry.axisSections
        .map((section) => {
          const name = section.name ?? '';
          return section.code && section.code !== name ? `${name} (${section.code})`.trim() : name;
        })
        .filter(Boolean)
        .join(' | '),
    ),
  ];
  // Every cell, whatever its column: ids, raw amounts and dates come from Lucca as free text too.
  return cells.map((cell) => quote(csvCell(cell), delimiter)).join(delimiter);
}

function quote(value: string, delimiter: string): string {
  const needsQuotes = value.includes(delimiter) || /[",;\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

function raw(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function formatNumber(value: number, decimal: string): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return String(rounded).replace('.', decimal);
}
