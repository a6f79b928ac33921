/**
 * Deterministic export data: accented names, both amount formats, several time types; and the export
 * files built from the same entries, so that a file and the thread's summary agree (same people, same
 * totals), in the form of a French payroll CSV: UTF-8 with a BOM, `;`, decimal comma, one header row,
 * whole lines ending in CRLF.
 */

const PEOPLE = [
  { id: 101, lastName: 'Müller', firstName: 'Élodie' },
  { id: 102, lastName: 'Núñez', firstName: 'José' },
  { id: 103, lastName: 'Brontë', firstName: 'Zoë' },
  { id: 104, lastName: "O'Brien", firstName: 'Siobhán' },
];

const TIME_TYPES = [
  { id: 1, name: 'Heures normales', payTreatment: 'Normal', externalCode: 'HN' },
  { id: 2, name: 'Heures supplémentaires 25 %', payTreatment: 'Overtime', externalCode: 'HS25' },
  { id: 3, name: 'Astreinte', payTreatment: 'Bonus', externalCode: 'AST' },
];

/** Numbers and Lucca timespans (`d.hh:mm:ss`, Timmi Timesheet OpenAPI) alternate, as both occur. */
const AMOUNTS: (number | string)[] = [7.5, '0.07:30:00', 2, '1.02:30:00', '03:45:00'];

/**
 * The forms of Lucca's answers the simulator can take, for the points where Lucca's guide is silent
 * (FACTS.md: the fields of `exportFiles` are not documented). The defaults are the forms the client
 * was written against; the others are plausible alternatives it must survive.
 */
export interface AnswerShapes {
  /**
   * `url`: `{id, name, url}` with a path on the Lucca host; `href`: `{id, fileName, href}` absolute;
   * `path`: `{id, name, path}`; `id-only`: `{id, name}` (no link at all); `strings`: bare URL strings.
   */
  exportFiles: 'url' | 'href' | 'path' | 'id-only' | 'strings';
  /**
   * `endsAt` of list items: `midnight` (`2026-12-01T00:00:00`), `absent` (not in the items), `offset`
   * (`2026-12-01T00:00:00+01:00`), `day-before` (`2026-11-30T23:59:59`).
   */
  listEndsAt: 'midnight' | 'absent' | 'offset' | 'day-before';
  /** `mixed`: numbers in hours and timespans; `numbers`: hours only; `timespans`: timespans only. */
  amounts: 'mixed' | 'numbers' | 'timespans';
  /** `names`: `Hour` beside numbers, `Duration` beside timespans; `codes`: numbers (0, 1) instead. */
  amountUnits: 'names' | 'codes';
}

export const DEFAULT_SHAPES: AnswerShapes = {
  exportFiles: 'url',
  listEndsAt: 'midnight',
  amounts: 'mixed',
  amountUnits: 'names',
};

/** Hours in a timespan `[d.]hh:mm[:ss]`. */
function hoursOf(timespan: string): number {
  const match = /^(?:(\d+)\.)?(\d+):(\d+)(?::(\d+))?$/.exec(timespan)!;
  return Number(match[1] ?? 0) * 24 + Number(match[2]) + Number(match[3]) / 60 + Number(match[4] ?? 0) / 3600;
}

function timespanOf(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours - days * 24;
  const h = Math.floor(rest);
  const m = Math.round((rest - h) * 60);
  return `${days}.${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

function amountOf(i: number, shapes: AnswerShapes): { amount: number | string; unit: string | number } {
  const base = AMOUNTS[i % AMOUNTS.length]!;
  const hours = typeof base === 'number' ? base : hoursOf(base);
  const asTimespan =
    shapes.amounts === 'timespans' || (shapes.amounts === 'mixed' && typeof base === 'string');
  const amount = asTimespan ? (typeof base === 'string' ? base : timespanOf(hours)) : hours;
  const unit = shapes.amountUnits === 'codes' ? (asTimespan ? 1 : 0) : asTimespan ? 'Duration' : 'Hour';
  return { amount, unit };
}

export function entriesFor(
  exportId: number,
  count: number,
  endsAt: string,
  shapes: AnswerShapes = DEFAULT_SHAPES,
): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => entryAt(exportId, i, endsAt, shapes));
}

function entryAt(exportId: number, i: number, endsAt: string, shapes: AnswerShapes): Record<string, unknown> {
  const person = PEOPLE[i % PEOPLE.length]!;
  const timeType = TIME_TYPES[i % TIME_TYPES.length]!;
  const { amount, unit } = amountOf(i, shapes);
  return {
    id: exportId * 10_000 + i + 1,
    name: `${person.firstName} ${person.lastName} — ${timeType.name}`,
    amount,
    amountUnit: unit,
    externalCode: timeType.externalCode,
    endsAt: `${endsAt}T00:00:00`,
    owner: person,
    timeType: { id: timeType.id, name: timeType.name, payTreatment: timeType.payTreatment },
    axisSections: [
      {
        id: 7,
        name: 'Établissement Lyon',
        code: 'LYO',
        axisId: 1,
        active: true,
        startOn: null,
        endOn: null,
      },
    ],
  };
}

const BOM = '\uFEFF';
const CRLF = '\r\n';
export const FILE_HEADER = 'Matricule;Nom;Prénom;Code;Rubrique;Quantité;Unité';

/** One payroll line for entry `i`: hours with a decimal comma, whatever form the API gives them in. */
function fileRow(i: number): string {
  const person = PEOPLE[i % PEOPLE.length]!;
  const timeType = TIME_TYPES[i % TIME_TYPES.length]!;
  const base = AMOUNTS[i % AMOUNTS.length]!;
  const hours = typeof base === 'number' ? base : hoursOf(base);
  const quantity = String(Math.round(hours * 100) / 100).replace('.', ',');
  return [
    person.id,
    person.lastName,
    person.firstName,
    timeType.externalCode,
    timeType.name,
    quantity,
    'heures',
  ].join(';');
}

/**
 * The bytes of file `fileIndex` (of `files`) of an export with `entries` entries, in pieces: file k
 * holds entries k, k + files, k + 2·files… (as Lucca splits exports per establishment), so that the
 * files together hold each entry once. `atLeastBytes` (benchmarks of large files) repeats the rows
 * until the file is at least that big; such a file no longer agrees with the entries.
 */
export function* exportFileChunks(
  entries: number,
  files: number,
  fileIndex: number,
  atLeastBytes = 0,
): Generator<Buffer> {
  const header = Buffer.from(BOM + FILE_HEADER + CRLF);
  yield header;
  let size = header.length;
  let lines: string[] = [];
  let pending = 0;
  const flush = () => {
    const chunk = Buffer.from(lines.join(''));
    size += chunk.length;
    lines = [];
    pending = 0;
    return chunk;
  };
  for (let i = fileIndex; i < entries; i += files) {
    const line = fileRow(i) + CRLF;
    lines.push(line);
    pending += line.length;
    if (pending >= 64 * 1024) yield flush();
  }
  if (lines.length) yield flush();
  if (size >= atLeastBytes) return;
  const block = paddingBlock();
  for (; size + block.length <= atLeastBytes; size += block.length) yield block;
  // The last stretch row by row: the file ends at most one row past atLeastBytes.
  const rows: string[] = [];
  for (let i = 0; size < atLeastBytes; i++) {
    const line = fileRow(i) + CRLF;
    rows.push(line);
    size += Buffer.byteLength(line);
  }
  if (rows.length) yield Buffer.from(rows.join(''));
}

let padding: Buffer | undefined;

/** About 64 KiB of whole rows, built once and repeated (benchmark files may be hundreds of MB). */
function paddingBlock(): Buffer {
  if (padding) return padding;
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 64 * 1024; i++) {
    const line = fileRow(i) + CRLF;
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  padding = Buffer.from(lines.join(''));
  return padding;
}

/** The whole file as one Buffer (tests compare what the app delivered with it). */
export function exportFileBytes(entries: number, files: number, fileIndex: number, atLeastBytes = 0): Buffer {
  return Buffer.concat([...exportFileChunks(entries, files, fileIndex, atLeastBytes)]);
}
