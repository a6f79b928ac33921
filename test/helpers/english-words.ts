/**
 * Words that give away an English message in a French one (#13). Names from Lucca or Slack
 * (`payroll`, `Heures normales`) and the product's own (`Lucca`, `export`, `CSV`, `Timesheet Export`
 * the bot's name, environment variables) are not in it. Matched whole-word, case-insensitively.
 */
export const ENGLISH_WORDS =
  /\b(the|and|is|are|was|of|to|for|from|after|before|ago|up to|everything|Timesheet export:|Requested|by|Retry|Cancel|Keep it|Delivered|Uploading|downloading|Starting|Waiting|Asking|Failed|Cancelled|Still|Preview|people|person|entries|entry|hours|days|Files|more|attempt|run|thread|Scheduled|schedule|month|Run now|Not now|pressed|unknown|I will|I keep|Press)\b/i;

/** The first English word in `text`, once Slack syntax (mentions, links, dates, emoji) and code spans are removed. */
export function englishWordIn(text: string): string | undefined {
  const prose = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/`[^`]*`/g, ' ');
  return ENGLISH_WORDS.exec(prose)?.[0];
}
