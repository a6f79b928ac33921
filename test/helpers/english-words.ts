/**
 * Words that give away an English message in a French one (#13): the list the French tests and the
 * French end-to-end run scan every Slack payload for. Names from Lucca or Slack (`payroll`,
 * `Heures normales`), the product's own (`Lucca`, `Timesheet Export` the bot's name) and words French
 * shares with English (`export`, `configuration`, `message`, `minute`, `date`, `zone`, `on`, `an`,
 * `a`, `file`) are not in it. Matched whole-word, case-insensitively.
 */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set(
  `the you your yours is are was were be been has have had will would can cannot could should
   not nothing and or with without for from into of to in at by it its this that these those there
   here what when which who why how if than then also only again still yet already just now please
   run runs running ran started starting start stop stopped asking building downloading uploading
   uploaded delivered ready failed stalled queued cancelled canceled retry retrying cancel waiting
   schedule schedules scheduled disable disabled keep follow thread channel channels latest next
   last before after every each month months week weeks day days hour hours ago updated update
   time times end ends one more all any some none nobody someone everything something requested
   help status admin allowed app form pick choose type give write enter number numbers press
   pressed preview people person entries entry files attempt unknown`
    .split(/\s+/)
    .filter(Boolean),
);

/** English of more than one word, or with its punctuation. */
const ENGLISH_PHRASES = /\b(up to|Timesheet export:|I will|I keep)/i;

/**
 * What a reader sees as prose: without code spans (command syntax stays as typed), Slack links,
 * mentions and dates (`<…>`), emoji codes, quoted UI labels of Slack's own settings («…»),
 * environment variable names, paths or URLs (`…/export/1/3/latest`, `Europe/Paris`), and Slack
 * scopes (`files:write`, code spans in mrkdwn but bare in a notification's plain text).
 */
export function prose(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;[^&]*&gt;/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/«[^»]*»/g, ' ')
    .replace(/\S*\/\S*/g, ' ')
    .replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g, ' ')
    .replace(/\b[a-z]+:[a-z]+(?:\.[a-z]+)*\b/g, ' ');
}

/** The English words and phrases of `text`'s prose, in order (empty for a French sentence). */
export function englishWordsIn(text: string): string[] {
  const words = prose(text);
  const phrase = ENGLISH_PHRASES.exec(words)?.[0];
  const found = (words.match(/\p{L}+/gu) ?? []).filter((word) => ENGLISH_WORDS.has(word.toLowerCase()));
  return phrase ? [phrase, ...found] : found;
}

/** The first English word in `text`, once Slack syntax (mentions, links, dates, emoji) and code spans are removed. */
export function englishWordIn(text: string): string | undefined {
  return englishWordsIn(text)[0];
}

/** Every `text` string in a Slack payload (message text, blocks, views, options, confirm dialogs). */
export function textsOf(payload: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner === 'string' && (key === 'text' || key === 'initial_comment')) {
          found.push(inner);
        } else visit(inner);
      }
    }
  };
  visit(payload);
  return found;
}
