import { sanitizeLuccaText } from '../../lucca/lucca-text.js';
import { escapeMrkdwn } from './format.js';

/**
 * Text that came from Lucca, for a mrkdwn message: one line, no invisible or reordering characters
 * (sanitizeLuccaText), then mrkdwn-escaped.
 */
export function luccaText(text: string): string {
  return escapeMrkdwn(sanitizeLuccaText(text));
}

/**
 * Lucca text in a code span. Slack has no escape for a backtick inside `code`: one would close the
 * span and let the rest be read as mrkdwn, so it is shown as the look-alike ˋ (U+02CB).
 */
export function codeSpan(text: string): string {
  const inner = luccaText(text).replace(/`/g, '\u02CB');
  return `\`${inner || '?'}\``;
}
