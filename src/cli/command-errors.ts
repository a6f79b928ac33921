import { visibleExcerpt } from '../command/echo.js';
import type { RunRequestError } from '../command/grammar.js';
import { monthName } from '../i18n/periods.js';
import { PROGRAM } from './usage.js';

/**
 * The grammar's refusals of `run <config> [<end>]`, said in a terminal: plain text, words quoted in
 * backticks, and examples written as this program's commands.
 */
export function runRequestErrorText(error: RunRequestError): { message: string; example: string } {
  return { message: problemText(error), example: `${PROGRAM} run ${error.example}` };
}

/** A word as the person typed it, without what a terminal would act on (escape sequences). */
function quote(word: string): string {
  return `\`${visibleExcerpt(word, 40) || '(unprintable)'}\``;
}

function problemText(error: RunRequestError): string {
  switch (error.code) {
    case 'missing-configuration':
      return 'Give a configuration number or alias.';
    case 'command-word':
      return `"${error.word}" is a command word, not a configuration: give a configuration number or alias.`;
    case 'too-long':
      return `That command is too long (${error.length} characters; a command has at most ${error.max}).`;
    case 'control-characters':
      return 'The command contains invisible control characters: please type it again.';
    case 'not-a-configuration-number': {
      const such = error.sample === undefined ? '' : `, such as ${quote(error.sample)}`;
      return `${quote(error.word)} is not a configuration number: it must be a whole number from 1 to ${error.max}${such}.`;
    }
    case 'unknown-configuration': {
      const known = error.known.length
        ? `Known configurations: ${error.known.map(([alias, id]) => `${quote(alias)} (${id})`).join(', ')}; or give a configuration number.`
        : 'No configuration aliases are set up (EXPORT_CONFIGURATIONS), so give the configuration number from Lucca.';
      return `${quote(error.word)} is not a command or a known configuration. ${known}`;
    }
    case 'not-an-end-date':
      return `${quote(error.word)} is not an end date. Write \`YYYY-MM-DD\` (such as ${quote(error.sample)}), \`last-month\` or \`monday\`.`;
    case 'no-such-day':
      return `${quote(error.word)} is not a real date: ${monthName(error.month, 'en')} ${error.year} has ${error.days} days.`;
    case 'no-such-month':
      return `${quote(error.word)} is not a real date: the month must be from 01 to 12.`;
    case 'not-midnight':
      return `${quote(error.word)} is not midnight. Lucca exports up to midnight (everything before the end date), so give the date alone, such as ${quote(error.date)}.`;
    case 'end-date-too-early':
      return `${quote(error.word)} is before ${error.earliest}: that looks like a typo in the year.`;
    case 'end-date-too-far':
      return `${quote(error.word)} is more than a year ahead. Lucca exports everything before the end date, so choose a date up to ${error.latest}.`;
    case 'time-after-end-date':
      return `Unexpected ${quote(error.word)}: Lucca exports up to midnight (everything before the end date), so give the date alone.`;
    case 'extra-run-word':
      return `Unexpected ${quote(error.word)}: give a configuration and at most one end date.`;
  }
}
