import type { StoredFile } from '../../exports/types.js';
import { escapeMrkdwn, formatBytes } from './format.js';
import { ERROR_MAX, fitList, NAME_MAX, truncate } from './limits.js';

/**
 * Text that comes from Lucca (time types, file names, error messages), made safe for mrkdwn: escaped, so
 * that `<!channel>` or `<@U…>` in a Lucca name shows as text and pings nobody, and cut when very long.
 */

/** A Lucca name (time type, file) as shown in a list: escaped, and cut when very long. */
export function luccaName(name: string, max = NAME_MAX): string {
  return escapeMrkdwn(truncate(name, max));
}

/** A Lucca error message quoted to the channel: escaped, and cut when very long. */
export function luccaError(message: string): string {
  return escapeMrkdwn(truncate(message, ERROR_MAX));
}

/** The files, as many as fit in `max` characters, then "…and 12 more files". */
export function fileList(files: readonly StoredFile[], max = 1000): string {
  return fitList(
    files.map((f) => `\`${luccaName(f.name)}\` (${formatBytes(f.bytes)})`),
    { max, separator: ', ', more: (n) => `…and ${n} more file${n === 1 ? '' : 's'}` },
  );
}
