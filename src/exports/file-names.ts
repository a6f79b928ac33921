import path from 'node:path';
import { withoutFormatCharacters } from '../lucca/lucca-text.js';

const MAX_NAME_LENGTH = 120;
// Windows refuses these names with any extension; Slack users download files onto Windows machines.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name that is safe to write under the run's folder and to show: Lucca's name (undocumented,
 * so untrusted) without any folder part, `..`, control or reserved characters, leading dots, or
 * Windows device names; at most 120 characters, extension kept. Falls back to `fallback` when
 * nothing is left.
 */
export function sanitizeFileName(name: string | null | undefined, fallback: string): string {
  const cleaned = clean(name ?? '');
  return cleaned || clean(fallback) || 'export';
}

function clean(raw: string): string {
  const lastPart = raw.split(/[\\/]/).pop() ?? '';
  // Bidi and zero-width characters would let `salaires\u202Evsc.exe` show as "salairesexe.csv".
  let name = withoutFormatCharacters(lastPart)
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/\.{2,}/g, '.')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  return truncate(name);
}

function truncate(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  const extension = path.extname(name);
  const keep = extension.length > 0 && extension.length <= 10 ? extension : '';
  return name.slice(0, MAX_NAME_LENGTH - keep.length).trimEnd() + keep;
}

/** `name`, or `name (2).ext`, `name (3).ext`… the first not in `taken` (case-insensitive); records it. */
export function uniqueFileName(name: string, taken: Set<string>): string {
  const extension = path.extname(name);
  const stem = extension ? name.slice(0, -extension.length) : name;
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${extension}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
