import type { ExportEntry } from '../lucca/types.js';

export interface CsvOptions {
  /** `;` by default: what Excel expects in the French locale payroll teams use. */
  delimiter?: string;
  /** `,` by default, matching the delimiter's locale so amounts open as numbers. */
  decimalSeparator?: string;
}

export const CSV_COLUMNS = [
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
] as const;

// UTF-8 byte-order mark: without it Excel reads the file as Windows-1252 and breaks every accent.
const BOM = '\uFEFF';
const CRLF = '\r\n';

/**
 * The export's entries as a CSV (RFC 4180: CRLF line ends, fields quoted when they hold the
 * delimiter, a quote or a line break, quotes doubled), UTF-8 with a BOM. Used when Lucca's export has
 * no file the app could download.
 */
export function renderEntriesCsv(entries: readonly ExportEntry[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ';';
  const decimal = options.decimalSeparator ?? ',';
  const lines = [CSV_COLUMNS.map((c) => quote(c, delimiter))];
  for (const entry of entries) {
    const cells = [
      text(entry.owner?.lastName),
      text(entry.owner?.firstName),
      raw(entry.owner?.id),
      text(entry.timeType?.name),
      text(entry.timeType?.payTreatment),
      entry.amount === null ? '' : formatNumber(entry.amount, decimal),
      text(entry.amountUnit),
      raw(entry.rawAmount),
      raw(entry.endsAt),
      text(entry.externalCode),
      text(
        entry.axisSections
          .map((section) => {
            const name = section.name ?? '';
            return section.code && section.code !== name ? `${name} (${section.code})`.trim() : name;
          })
          .filter(Boolean)
          .join(' | '),
      ),
    ];
    lines.push(cells.map((cell) => quote(cell, delimiter)));
  }
  return BOM + lines.map((cells) => cells.join(delimiter)).join(CRLF) + CRLF;
}

function quote(value: string, delimiter: string): string {
  const needsQuotes = value.includes(delimiter) || /[",;\r\n]/.test(value) || /^\s|\s$/.test(value);
  return needsQuotes ? `"${value.replace(/"/g, '""')}"` : value;
}

function raw(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Free text from Lucca. A cell starting with `=`, `+`, `-` or `@` is a formula to Excel (CSV
 * injection): a leading apostrophe keeps it plain text, at the cost of showing the apostrophe.
 */
function text(value: string | null | undefined): string {
  if (!value) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function formatNumber(value: number, decimal: string): string {
  const rounded = Math.round(value * 10_000) / 10_000;
  return String(rounded).replace('.', decimal);
}
