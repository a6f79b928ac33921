import { visibleExcerpt } from '../command/echo.js';
import type { RunRequestError } from '../command/grammar.js';
import { runProblemText } from '../i18n/command-errors.js';
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
    default:
      // The rest the Slack command refuses alike: the same sentences, quoted for a terminal.
      return runProblemText(error, 'en', quote);
  }
}
