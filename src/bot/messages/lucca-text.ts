import type { StoredFile } from '../../exports/types.js';
import type { Language } from '../../i18n/language.js';
import { formatBytes } from '../../i18n/quantities.js';
import { sanitizeLuccaText } from '../../lucca/lucca-text.js';
import { runThreadText } from './catalogs/run-thread.js';
import { escapeMrkdwn } from './format.js';
import { ERROR_MAX, fitList, NAME_MAX, truncate } from './limits.js';

/**
 * Text that comes from Lucca (time types, file names, error messages), made safe for mrkdwn: one line,
 * no invisible or reordering characters (sanitizeLuccaText), cut when very long, then escaped, so that
 * `<!channel>` or `<@U…>` in a Lucca name shows as text and pings nobody.
 */
export function luccaText(text: string, max = ERROR_MAX): string {
  return escapeMrkdwn(truncate(sanitizeLuccaText(text), max));
}

/** A Lucca name (time type, file) as shown in a list. */
export function luccaName(name: string, max = NAME_MAX): string {
  return luccaText(name, max);
}

/** A Lucca error message quoted to the channel. */
export function luccaError(message: string): string {
  return luccaText(message, ERROR_MAX);
}

/**
 * Lucca text in a code span. Slack has no escape for a backtick inside `code`: one would close the
 * span and let the rest be read as mrkdwn, so it is shown as the look-alike ˋ (U+02CB).
 */
export function codeSpan(text: string, max = NAME_MAX): string {
  const inner = luccaText(text, max).replace(/`/g, '\u02CB');
  return `\`${inner || '?'}\``;
}

/** The files, as many as fit in `max` characters, then "…and 12 more files". */
export function fileList(files: readonly StoredFile[], language: Language, max = 1000): string {
  return fitList(
    files.map((f) => `${codeSpan(f.name)} (${formatBytes(f.bytes, language)})`),
    { max, separator: ', ', more: runThreadText[language].moreFiles },
  );
}
