/**
 * Slack's Block Kit limits the builders must respect whatever the data (Slack refuses the whole message
 * or view otherwise: `invalid_blocks`, `invalid_arguments`). Numbers from Slack's reference:
 * https://docs.slack.dev/reference/block-kit/blocks (50 blocks per message, 100 per modal or Home tab),
 * .../blocks/section-block (text ≤ 3000, fields ≤ 10 × 2000), .../composition-objects/option-object
 * (text and description ≤ 75, value ≤ 150), .../block-elements/button-element (text ≤ 75, value ≤ 2000),
 * .../composition-objects/confirmation-dialog-object (title ≤ 100, text ≤ 300, buttons ≤ 30),
 * https://docs.slack.dev/reference/views/modal-views (title, submit, close ≤ 24).
 * The Slack stand-in (fakes/slack/block-kit-rules.ts) enforces the same numbers.
 */
export const SLACK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  contextText: 3000,
  optionText: 75,
  optionDescription: 75,
  optionValue: 150,
  selectOptions: 100,
  buttonValue: 2000,
  confirmTitle: 100,
  confirmText: 300,
  /** Slack truncates a message `text` past 40 000 characters; a fallback text stays well inside. */
  fallbackText: 3000,
} as const;

/** Lucca-provided names (time types, files) shown in a list: long enough to recognise, short enough to list. */
export const NAME_MAX = 100;
/** A Lucca error message quoted to the channel. */
export const ERROR_MAX = 1000;

const ELLIPSIS = '…';

/**
 * `text` cut to at most `max` characters (String#length, which is never below Slack's count), ending
 * with "…" when cut. Never splits a surrogate pair, an `&amp;`-style entity or a `<…>` Slack link.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ELLIPSIS.length));
  // A lone high surrogate would be half an emoji.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // An unfinished entity (`&am`) or link (`<https://x|y`) would show its raw syntax.
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.lastIndexOf(';') && cut.length - amp < 8) cut = cut.slice(0, amp);
  return `${cut}${ELLIPSIS}`;
}

/**
 * Joins as many `items` as fit in `max` characters (with `separator`), then a visible
 * `more(n)` ("…and 12 more files") for the rest: long content is shortened, never silently dropped.
 */
export function fitList(
  items: readonly string[],
  options: { max: number; separator: string; more: (left: number) => string; maxItems?: number },
): string {
  const { max, separator, more } = options;
  const limit = Math.min(items.length, options.maxItems ?? items.length);
  const shown: string[] = [];
  let length = 0;
  for (let i = 0; i < limit; i++) {
    const item = items[i]!;
    const left = items.length - i - 1;
    const tail = left > 0 ? separator.length + more(left).length : 0;
    const added = (shown.length ? separator.length : 0) + item.length;
    if (length + added + tail > max) break;
    shown.push(item);
    length += added;
  }
  const rest = items.length - shown.length;
  if (rest === 0) return shown.join(separator);
  const suffix = more(rest);
  if (shown.length === 0) return truncate(suffix, max);
  return `${shown.join(separator)}${separator}${suffix}`;
}
