/**
 * What of a person's word may be shown back to them: control and invisible format characters (a
 * terminal escape, a right-to-left override) and backticks (they would break the quoting) are dropped,
 * and the rest is cut to `max` characters, by character not by byte. Both renderers of the grammar's
 * errors quote words through it.
 */
export function visibleExcerpt(input: string, max: number): string {
  const visible = input.replace(/[\p{Cc}\p{Cf}`]/gu, '');
  const chars = Array.from(visible);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : visible;
}
